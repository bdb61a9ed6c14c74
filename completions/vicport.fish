# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vicport_global_optspecs
    string join \n T/target= o/output= q/quiet debug no-color y/yes state-dir= timeout= h/help V/version
end

function __fish_vicport_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vicport_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vicport_using_subcommand
    set -l cmd (__fish_vicport_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vicport -n "__fish_vicport_needs_command" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_needs_command" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_needs_command" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_needs_command" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_needs_command" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_needs_command" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_needs_command" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_needs_command" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "domain" -d 'Manage isolation domains (containerVMs)'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "run" -d 'Create and start a domain, and attach to it unless detached'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "exec" -d 'Run a command in a running domain'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "logs" -d 'Print a domain\'s log (same as `domain logs`)'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "events" -d 'Print lifecycle events'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "image" -d 'Manage images'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "network" -d 'Manage networks'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "registry" -d 'Log in to and out of image registries'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "target" -d 'Manage targets (platforms vicport talks to)'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "login" -d 'Store a target\'s password in the OS keyring'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "logout" -d 'Remove a target\'s password and end its session'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "system" -d 'Information, boot images, shell completions and man pages'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "oci" -d 'The OCI runtime for container engines (also run as `vicport-runc`)'
complete -c vicport -n "__fish_vicport_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "create" -d 'Define a domain from an image without starting it'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "start" -d 'Start domains; a suspended one resumes where it was'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "stop" -d 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain\'s saved state is discarded)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "restart" -d 'Stop domains as `domain stop` does, then start them again'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "suspend" -d 'Suspend running domains: save their memory and devices, power off'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "pause" -d 'Pause running domains: their virtual CPUs stop, their memory stays'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "unpause" -d 'Let paused domains run again (a running one is left as it is)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "kill" -d 'Send a signal to domains\' primary processes, or with --all to all their processes (KILL powers them off)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "rm" -d 'Remove domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "remove" -d 'Remove domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "prune" -d 'Remove every domain that is not running (created, stopped or broken)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "inspect" -d 'Show everything about domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "ls" -d 'List domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "list" -d 'List domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "wait" -d 'Wait until domains stop; print their exit codes'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "logs" -d 'Print a domain\'s log'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "attach" -d 'Attach to a running domain\'s primary process'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "rename" -d 'Rename a domain'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "label" -d 'Add, change or remove a domain\'s labels'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "update" -d 'Change a domain\'s memory or vCPUs'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "stats" -d 'Show what domains use: CPU, memory, network, disks, processes'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "top" -d 'Show the processes running in a domain'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "port" -d 'Show a domain\'s published ports: its port, and where the host publishes it'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "cp" -d 'Copy files between the host and a domain'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "export" -d 'Write a domain\'s root filesystem as a tar stream'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "diff" -d 'List what a domain changed in its root filesystem since it was made from its image'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "commit" -d 'Make a new image of a domain\'s root filesystem'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and not __fish_seen_subcommand_from create start stop restart suspend pause unpause kill rm remove prune inspect ls list wait logs attach rename label update stats top port cp export diff commit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l name -d 'The domain\'s name (default: derived from its id)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l entrypoint -d 'Override the image\'s entrypoint' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s e -l env -d 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l env-file -d 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l ulimit -d 'A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096, core=unlimited); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l cap-add -d 'Give the command a capability beyond those left (with --cap-drop ALL); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l cap-drop -d 'Take a capability from the command (NET_RAW, or ALL); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l oom-score-adj -d 'The command\'s OOM score adjustment in the guest, -1000 to 1000 (its exec\'s too)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l security-opt -d 'A security option: no-new-privileges[:true|false]; seccomp=unconfined, apparmor=unconfined and label=disable are what a containerVM\'s process has anyway; a profile or label is refused; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l sysctl -d 'A kernel parameter the guest sets before the command starts: NAME=VALUE (net.ipv4.ip_forward=1); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l add-host -d 'An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5, db:[fd00::5]); repeatable, before the other domains\' names' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l dns -d 'A name server for the domain\'s /etc/resolv.conf, instead of its networks\'; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l dns-search -d 'A search domain for the domain\'s /etc/resolv.conf, instead of its networks\'; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l dns-option -d 'An option for the domain\'s /etc/resolv.conf (ndots:2); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l shm-size -d 'The size of the domain\'s /dev/shm (64m, 1g): a tmpfs of its own, instead of the guest\'s, mounted nosuid, nodev and noexec as docker\'s' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s w -l workdir -d 'The working directory inside the domain' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s u -l user -d 'The user to run as: NAME|UID[:GROUP|GID]' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l hostname -d 'The domain\'s hostname' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l cpus -d 'Virtual CPUs' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory, e.g. 512MiB or 1G' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s l -l label -d 'A label (KEY=VALUE); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s v -l volume -d 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l mount -d 'Mount a volume, a host path or a tmpfs, in docker\'s long form; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l network -d 'Join a network: NET[:IP]; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l stop-signal -d 'The signal a graceful stop sends (default: the image\'s, else SIGTERM)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l restart -d 'Start the domain again when its primary exits on its own: no, on-failure[:MAX] (a code other than 0, at most MAX times in a row), always, unless-stopped' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish every port the image exposes (its EXPOSE, `image inspect`\'s exposed_ports) on a host port chosen at each start, besides --publish\'s'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep standard input open'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a terminal'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l pid-namespace -d 'Run the command as PID 1 of a pid namespace of its own in the guest'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l read-only -d 'Mount the domain\'s root filesystem read-only'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s t -l time -d 'Seconds to wait for the primary process to exit before powering off' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s t -l time -d 'Seconds to wait for the primary process to exit before powering off' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from suspend" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from unpause" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s s -l signal -d 'The signal to send (name or number)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal every process of the container (the primary, every exec\'s process and what they started), not only the primary'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove running domains too (they are powered off first)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s f -l force -d 'Remove running domains too (they are powered off first)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -l filter -d 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -l wait-timeout -d 'Give up after this long (default: wait for ever)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Only the last N lines' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l since -d 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l until -d 'Only what came before this time (same forms as --since; not with --follow)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing new output until the domain stops'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l timestamps -d 'Prefix each line with its timestamp'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not forward standard input'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from attach" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -l rm -d 'Labels to remove (KEY); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from label" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s m -l memory -d 'Memory, e.g. 512MiB or 1G: what a stopped domain boots with, or what a running one keeps from now on (at most what it booted with)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -l cpus -d 'Virtual CPUs (a stopped domain\'s: a running one\'s are fixed)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -l restart -d 'Its restart policy (see `run --restart`), in any state: it applies when a run ends' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -l no-stream -d 'Print one sample and exit (the default when stdout is not a terminal)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -l stream -d 'Print a sample every second until interrupted (the default on a terminal)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from port" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from cp" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s f -l file -d 'Write the tar to FILE (replaced once complete) instead of standard output' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s m -l message -d 'A comment for the new layer\'s history entry' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s a -l author -d 'The new image\'s author' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s c -l change -d 'A Dockerfile instruction for the new image\'s settings: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME or STOPSIGNAL (repeatable; e.g. -c \'CMD ["httpd","-f"]\' -c \'ENV MODE=prod\')' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from commit" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "create" -d 'Define a domain from an image without starting it'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start domains; a suspended one resumes where it was'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain\'s saved state is discarded)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Stop domains as `domain stop` does, then start them again'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "suspend" -d 'Suspend running domains: save their memory and devices, power off'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause running domains: their virtual CPUs stop, their memory stays'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "unpause" -d 'Let paused domains run again (a running one is left as it is)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to domains\' primary processes, or with --all to all their processes (KILL powers them off)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove every domain that is not running (created, stopped or broken)'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show everything about domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List domains'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until domains stop; print their exit codes'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Print a domain\'s log'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach to a running domain\'s primary process'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a domain'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "label" -d 'Add, change or remove a domain\'s labels'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a domain\'s memory or vCPUs'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Show what domains use: CPU, memory, network, disks, processes'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "top" -d 'Show the processes running in a domain'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "port" -d 'Show a domain\'s published ports: its port, and where the host publishes it'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "cp" -d 'Copy files between the host and a domain'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write a domain\'s root filesystem as a tar stream'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "diff" -d 'List what a domain changed in its root filesystem since it was made from its image'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "commit" -d 'Make a new image of a domain\'s root filesystem'
complete -c vicport -n "__fish_vicport_using_subcommand domain; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand run" -l name -d 'The domain\'s name (default: derived from its id)' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l entrypoint -d 'Override the image\'s entrypoint' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s e -l env -d 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l env-file -d 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand run" -l ulimit -d 'A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096, core=unlimited); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l cap-add -d 'Give the command a capability beyond those left (with --cap-drop ALL); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l cap-drop -d 'Take a capability from the command (NET_RAW, or ALL); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l oom-score-adj -d 'The command\'s OOM score adjustment in the guest, -1000 to 1000 (its exec\'s too)' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l security-opt -d 'A security option: no-new-privileges[:true|false]; seccomp=unconfined, apparmor=unconfined and label=disable are what a containerVM\'s process has anyway; a profile or label is refused; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l sysctl -d 'A kernel parameter the guest sets before the command starts: NAME=VALUE (net.ipv4.ip_forward=1); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l add-host -d 'An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5, db:[fd00::5]); repeatable, before the other domains\' names' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l dns -d 'A name server for the domain\'s /etc/resolv.conf, instead of its networks\'; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l dns-search -d 'A search domain for the domain\'s /etc/resolv.conf, instead of its networks\'; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l dns-option -d 'An option for the domain\'s /etc/resolv.conf (ndots:2); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l tmpfs -d 'Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l shm-size -d 'The size of the domain\'s /dev/shm (64m, 1g): a tmpfs of its own, instead of the guest\'s, mounted nosuid, nodev and noexec as docker\'s' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s w -l workdir -d 'The working directory inside the domain' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s u -l user -d 'The user to run as: NAME|UID[:GROUP|GID]' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l hostname -d 'The domain\'s hostname' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l cpus -d 'Virtual CPUs' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s m -l memory -d 'Memory, e.g. 512MiB or 1G' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s l -l label -d 'A label (KEY=VALUE); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s v -l volume -d 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l mount -d 'Mount a volume, a host path or a tmpfs, in docker\'s long form; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l network -d 'Join a network: NET[:IP]; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s p -l publish -d 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l stop-signal -d 'The signal a graceful stop sends (default: the image\'s, else SIGTERM)' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -l restart -d 'Start the domain again when its primary exits on its own: no, on-failure[:MAX] (a code other than 0, at most MAX times in a row), always, unless-stopped' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand run" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand run" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand run" -s P -l publish-all -d 'Publish every port the image exposes (its EXPOSE, `image inspect`\'s exposed_ports) on a host port chosen at each start, besides --publish\'s'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s i -l interactive -d 'Keep standard input open'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s t -l tty -d 'Allocate a terminal'
complete -c vicport -n "__fish_vicport_using_subcommand run" -l pid-namespace -d 'Run the command as PID 1 of a pid namespace of its own in the guest'
complete -c vicport -n "__fish_vicport_using_subcommand run" -l read-only -d 'Mount the domain\'s root filesystem read-only'
complete -c vicport -n "__fish_vicport_using_subcommand run" -l rm -d 'Remove the domain when its primary process exits'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s d -l detach -d 'Start the domain and print its id instead of attaching'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand run" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand run" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand run" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s e -l env -d 'Set an environment variable (KEY=VALUE, or KEY to copy it from here), over the domain\'s command\'s environment; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand exec" -l env-file -d 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s w -l workdir -d 'The working directory (default: the domain\'s command\'s)' -r
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s u -l user -d 'The user: NAME|UID[:GROUP|GID] (default: the domain\'s command\'s)' -r
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand exec" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand exec" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s i -l interactive -d 'Keep standard input open'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s t -l tty -d 'Allocate a terminal'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s d -l detach -d 'Start the command in the background and print its pid in the domain: its input and output are the domain\'s /dev/null, and it runs on until it exits or the domain stops'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -l privileged -d 'Give the command every capability, whatever the domain\'s process was created with (`--cap-drop`, `--cap-add`); without it, the command has the same as that process'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand exec" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s n -l tail -d 'Only the last N lines' -r
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l since -d 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l until -d 'Only what came before this time (same forms as --since; not with --follow)' -r
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s f -l follow -d 'Keep printing new output until the domain stops'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l timestamps -d 'Prefix each line with its timestamp'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand logs" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand events" -l since -d 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand events" -l until -d 'Only what came before this time (same forms as --since; not with --follow)' -r
complete -c vicport -n "__fish_vicport_using_subcommand events" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand events" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand events" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand events" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand events" -s f -l follow -d 'Keep printing new events until interrupted'
complete -c vicport -n "__fish_vicport_using_subcommand events" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand events" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand events" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand events" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand events" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "import" -d 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "pull" -d 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "push" -d 'Push an image from the store to a registry, under an OCI manifest'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "save" -d 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "ls" -d 'List images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "list" -d 'List images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "inspect" -d 'Show everything about images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "history" -d 'Show how an image was made: its steps, newest first, with the layer each made'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "tag" -d 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "rm" -d 'Remove images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "remove" -d 'Remove images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "prune" -d 'Remove the images no domain uses, and what the blob cache keeps for them'
complete -c vicport -n "__fish_vicport_using_subcommand image; and not __fish_seen_subcommand_from import pull push save ls list inspect history tag rm remove prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -l name -d 'The reference to tag it with (NAME[:TAG]); default: the one the archive names. From an archive of several images: the one it names so' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -l all -d 'Every image of an archive that holds several (as `image save` of several writes), each under the names it records'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'The platform to pick from an index: OS/ARCH[/VARIANT]' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Verify the registry\'s certificate (default: true, or its tls_verify setting)' -r -f -a "true\t''
false\t''"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Verify the registry\'s certificate (default: true, or its tls_verify setting)' -r -f -a "true\t''
false\t''"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -l file -d 'Write the tar to FILE (replaced if it exists) instead of standard output' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -l dir -d 'Write an OCI image layout directory instead of a tar (it must not exist, or be empty)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Also remove the domains that use the image (asks first, or --yes)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s f -l force -d 'Also remove the domains that use the image (asks first, or --yes)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -l filter -d 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Every image no domain uses, tagged or not'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push an image from the store to a registry, under an OCI manifest'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show everything about images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show how an image was made: its steps, newest first, with the layer each made'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove images'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove the images no domain uses, and what the blob cache keeps for them'
complete -c vicport -n "__fish_vicport_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "create" -d 'Create a volume'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "ls" -d 'List volumes with their store, size and users'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "list" -d 'List volumes with their store, size and users'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "inspect" -d 'Show everything about volumes'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "rm" -d 'Remove volumes'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "remove" -d 'Remove volumes'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "prune" -d 'Remove every volume no domain uses, with its data'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -l size -d 'Its size, e.g. 512MiB or 10G' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s l -l label -d 'A label (KEY=VALUE); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -l store -d 'Where to keep it: a directory (local) or datastore path (vSphere)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove even when domains use it (asks first, or --yes)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s f -l force -d 'Remove even when domains use it (asks first, or --yes)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -l filter -d 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a volume'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List volumes with their store, size and users'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show everything about volumes'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove volumes'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove every volume no domain uses, with its data'
complete -c vicport -n "__fish_vicport_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "create" -d 'Create a network'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "ls" -d 'List networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "list" -d 'List networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "inspect" -d 'Show everything about networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "rm" -d 'Remove networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "remove" -d 'Remove networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "prune" -d 'Remove every network no domain is connected to'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "connect" -d 'Connect a domain to a network, stopped or running'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "disconnect" -d 'Disconnect a domain from a network, stopped or running'
complete -c vicport -n "__fish_vicport_using_subcommand network; and not __fish_seen_subcommand_from create ls list inspect rm remove prune connect disconnect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l subnet -d 'The subnet in CIDR form, e.g. 10.0.9.0/24' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l gateway -d 'The gateway (default: the subnet\'s first address)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l ip-range -d 'Hand out addresses only from this range (CIDR inside the subnet)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l dns -d 'A DNS server for the domains; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s l -l label -d 'A label (KEY=VALUE); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l internal -d 'No route out of the network'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -l filter -d 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -l ip -d 'The address to give it (default: the next free one)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from disconnect" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a network'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show everything about networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove networks'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove every network no domain is connected to'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Connect a domain to a network, stopped or running'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "disconnect" -d 'Disconnect a domain from a network, stopped or running'
complete -c vicport -n "__fish_vicport_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -f -a "login" -d 'Check a login with a registry and keep it in the OS keyring'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -f -a "logout" -d 'Forget vicport\'s login for a registry'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and not __fish_seen_subcommand_from login logout help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s u -l username -d 'The user (asked on a terminal when not given)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -l tls-verify -d 'Verify the registry\'s certificate (default: true, or its tls_verify setting)' -r -f -a "true\t''
false\t''"
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -l password-stdin -d 'Read the password from standard input'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from login" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from logout" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "login" -d 'Check a login with a registry and keep it in the OS keyring'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "logout" -d 'Forget vicport\'s login for a registry'
complete -c vicport -n "__fish_vicport_using_subcommand registry; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "add" -d 'Add a target'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "ls" -d 'List targets'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "list" -d 'List targets'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "show" -d 'Show a target\'s settings (default: the current one)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "use" -d 'Make a target the default for later commands'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "rm" -d 'Remove a target (and its stored password)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "remove" -d 'Remove a target (and its stored password)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and not __fish_seen_subcommand_from add ls list show use rm remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l platform -d 'The platform (default: vsphere)' -r -f -a "vsphere\t'vCenter or ESXi over the vim25 API'
local\t'QEMU microVMs on this host'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l url -d 'The vSphere SDK URL, e.g. https://vc.example.com/sdk' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l username -d 'The user to log in as' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l datacenter -d 'The datacenter (name or inventory path)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l datastore -d 'The datastore for domains, images and volumes' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l resource-pool -d 'The resource pool or cluster to place domains in' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l folder -d 'The VM folder for domains' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l network -d 'The switch networks are made on: a distributed switch or a port group on one (a standard switch on a standalone host)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l thumbprint -d 'Trust the server certificate with this SHA-256 (or SHA-1) thumbprint' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l dir -d 'The state directory of a local target' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l insecure -d 'Do not verify the server certificate (unsafe; prefer --thumbprint)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l use -d 'Also make it the current target'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a target'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List targets'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a target\'s settings (default: the current one)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a target the default for later commands'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove a target (and its stored password)'
complete -c vicport -n "__fish_vicport_using_subcommand target; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand login" -l username -d 'The user (also saved as the target\'s user)' -r
complete -c vicport -n "__fish_vicport_using_subcommand login" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand login" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand login" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand login" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand login" -l password-stdin -d 'Read the password from standard input'
complete -c vicport -n "__fish_vicport_using_subcommand login" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand login" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand login" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand login" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand login" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand logout" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand logout" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand logout" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand logout" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand logout" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand logout" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand logout" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand logout" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand logout" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "info" -d 'Show the target\'s platform, version and placement'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "man" -d 'Write the man pages (vicport.1 and one per subcommand) into DIR'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "bootstrap" -d 'Build the boot image (kernel, modules, tether) that domains boot'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "prune" -d 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache\'s leftovers'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "monitor" -d 'Run a domain\'s monitor (started by `domain start`; not for direct use)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "relay" -d 'Run a vSphere domain\'s link relay (started by the first command that needs the link; not for direct use)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and not __fish_seen_subcommand_from info completions man bootstrap prune monitor relay help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from completions" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from man" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l tether -d 'The statically linked tether (default: VICPORT_TETHER, else next to vicport)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l kernel -d 'The guest kernel: Debian\'s cloud kernel, or a microVM kernel compiled here from Debian\'s linux-source-6.1 (local domains only; minutes to build once, then cached)' -r -f -a "cloud\t'Debian\'s cloud kernel and its modules (local and vSphere)'
microvm\t'vicport\'s microVM kernel, everything built in (local only, no ISO)'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l kernel-deb -d 'Use this package instead of apt\'s: linux-image-cloud-amd64 (cloud), linux-source-6.1 (microvm)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l busybox-deb -d 'Use this busybox-static package instead of apt\'s' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l no-iso -d 'Do not build the vSphere boot ISO'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from bootstrap" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -l filter -d 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s a -l all -d 'Every image no domain uses, not only dangling ones'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -l volumes -d 'Volumes no domain uses too, with their data'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from monitor" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from relay" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "info" -d 'Show the target\'s platform, version and placement'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "man" -d 'Write the man pages (vicport.1 and one per subcommand) into DIR'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "bootstrap" -d 'Build the boot image (kernel, modules, tether) that domains boot'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache\'s leftovers'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "monitor" -d 'Run a domain\'s monitor (started by `domain start`; not for direct use)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "relay" -d 'Run a vSphere domain\'s link relay (started by the first command that needs the link; not for direct use)'
complete -c vicport -n "__fish_vicport_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l root -d 'The directory of container records [default: /run/vicport-oci as root, else $XDG_RUNTIME_DIR/vicport-oci (rootless podman)]' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l log -d 'Where errors are logged, besides stderr' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l log-format -d 'The log\'s format: one JSON object per error with json' -r -f -a "text\t'`time="…" level=error msg="…"` lines'
json\t'One JSON object per error: level, msg, time'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l cgroup-manager -d 'Accepted for compatibility: a containerVM\'s cgroups are the guest\'s' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l rootless -d 'Accepted for compatibility (no effect)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l systemd-cgroup -d 'Accepted for compatibility: a containerVM\'s cgroups are the guest\'s'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "create" -d 'Create a container from a bundle: boot its VM, leave its process waiting'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "start" -d 'Start a created container\'s process'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "run" -d 'Create and start a container; without --detach, stay with it: its stdio is this command\'s, and its exit code this command\'s, and it is deleted when it ends (unless --keep)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "spec" -d 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "state" -d 'Print a container\'s state as JSON'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "kill" -d 'Send a signal to a container\'s process'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "delete" -d 'Delete a stopped container (or any, with --force)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "list" -d 'List the containers'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "features" -d 'Print the runtime\'s features as JSON'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "exec" -d 'Run a process in a running container'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "pause" -d 'Pause a running container (its VM stops running)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "resume" -d 'Resume a paused container'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "ps" -d 'List a container\'s processes (its shims: the guest\'s are its own)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "update" -d 'Change a container\'s resources while it runs: its memory limit (the VM\'s balloon, up to what it booted with)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "checkpoint" -d 'Save a running container whole (its VM\'s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "restore" -d 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "shim" -d 'The per-container shim (started by create; not for users)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "exec-shim" -d 'The per-exec shim (started by exec; not for users)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and not __fish_seen_subcommand_from create start run spec state kill delete list features exec pause resume ps update checkpoint restore shim exec-shim help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s b -l bundle -d 'The bundle directory (holding config.json)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l pid-file -d 'Write the container\'s pid (its shim\'s) here, last' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l console-socket -d 'With a terminal: send the pseudo-terminal\'s master over this socket' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l preserve-fds -d 'Pass N more descriptors to the process (refused above 0: a VM\'s process cannot take the host\'s descriptors)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l no-pivot -d 'Accepted for compatibility (no effect on a VM)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l no-new-keyring -d 'Accepted for compatibility (no effect on a VM)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s b -l bundle -d 'The bundle directory (holding config.json)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l pid-file -d 'Write the container\'s pid (its shim\'s) here, last' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l console-socket -d 'With a terminal: send the pseudo-terminal\'s master over this socket' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l preserve-fds -d 'Pass N more descriptors to the process (refused above 0: a VM\'s process cannot take the host\'s descriptors)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s d -l detach -d 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l keep -d 'Do not delete the container when its process ends'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l no-subreaper -d 'Accepted for compatibility (this command waits on its own child)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l no-pivot -d 'Accepted for compatibility (no effect on a VM)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l no-new-keyring -d 'Accepted for compatibility (no effect on a VM)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s b -l bundle -d 'The bundle directory to write config.json into' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from spec" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from state" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal every process of the container, not only its process (in the guest: the process, every exec\'s and what they started)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s f -l force -d 'Delete even a running container (its VM is powered off)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s f -l format -d 'table or json' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from features" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s p -l process -d 'The process to run, as the runtime spec\'s process object (JSON)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l console-socket -d 'With a terminal: send the pseudo-terminal\'s master over this socket' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l pid-file -d 'Write the exec shim\'s pid here, last' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l preserve-fds -d 'Pass N more descriptors to the process (refused above 0)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l cwd -d 'Without --process: the working directory' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s e -l env -d 'Without --process: an environment variable (KEY=VALUE); repeatable' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s u -l user -d 'Without --process: the user, UID[:GID]' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Leave the process running and exit (its pid is an exec shim\'s)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Run the process on a terminal (its master goes over --console-socket)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s f -l format -d 'table or json (a list of pids)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from ps" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s r -l resources -d 'The new resources, as the runtime spec\'s linux.resources object (JSON; - reads it from stdin)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l image-path -d 'The checkpoint\'s directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l work-path -d 'Accepted for compatibility (a containerVM\'s checkpoint writes no logs or statistics)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l manage-cgroups-mode -d 'Accepted for compatibility: a containerVM\'s cgroups are the guest\'s' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l empty-ns -d 'Accepted for compatibility (a VM\'s namespaces are all the guest\'s)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l parent-path -d 'Refused: a containerVM\'s checkpoint is whole (no parent)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l page-server -d 'Refused: a containerVM\'s checkpoint is written here, not sent to a page server' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l status-fd -d 'Accepted for compatibility (nothing is reported on it)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l tcp-established -d 'Accepted: a VM\'s saved state holds its TCP connections'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l ext-unix-sk -d 'Accepted: a VM\'s saved state holds its sockets'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l shell-job -d 'Accepted: a VM\'s saved state holds its terminals'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l file-locks -d 'Accepted: a VM\'s saved state holds its file locks'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l lazy-pages -d 'Refused: a containerVM\'s checkpoint is whole, never lazy'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l auto-dedup -d 'Refused: a containerVM\'s checkpoint is written whole, not deduplicated against a parent'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l leave-running -d 'Leave the container running after its checkpoint'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l pre-dump -d 'Refused: a containerVM\'s checkpoint is whole (no pre-dumps)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from checkpoint" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l image-path -d 'The checkpoint\'s directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l work-path -d 'Accepted for compatibility (a containerVM\'s checkpoint writes no logs or statistics)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l manage-cgroups-mode -d 'Accepted for compatibility: a containerVM\'s cgroups are the guest\'s' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l empty-ns -d 'Accepted for compatibility (a VM\'s namespaces are all the guest\'s)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l lsm-profile -d 'Accepted for compatibility (the guest has no LSM of the host\'s)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l lsm-mount-context -d 'Accepted for compatibility (the guest has no LSM of the host\'s)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s b -l bundle -d 'The bundle directory (holding config.json)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l pid-file -d 'Write the container\'s pid (its shim\'s) here, last' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l console-socket -d 'With a terminal: send the pseudo-terminal\'s master over this socket' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l preserve-fds -d 'Pass N more descriptors to the process (refused above 0: a VM\'s process cannot take the host\'s descriptors)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l tcp-established -d 'Accepted: a VM\'s saved state holds its TCP connections'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l ext-unix-sk -d 'Accepted: a VM\'s saved state holds its sockets'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l shell-job -d 'Accepted: a VM\'s saved state holds its terminals'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l file-locks -d 'Accepted: a VM\'s saved state holds its file locks'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l lazy-pages -d 'Refused: a containerVM\'s checkpoint is whole, never lazy'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l auto-dedup -d 'Refused: a containerVM\'s checkpoint is written whole, not deduplicated against a parent'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s d -l detach -d 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l no-subreaper -d 'Accepted for compatibility (this command waits on its own child)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l no-pivot -d 'Accepted for compatibility (no effect on a VM)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l no-new-keyring -d 'Accepted for compatibility (no effect on a VM)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from restore" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l ready-fd -d 'The descriptor to say "ready" (or why not) on' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l console-socket -d 'Send the pseudo-terminal\'s master over this socket' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l restore -d 'Start the domain from the checkpoint in this directory, and attach to its process at once (it runs already)' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from shim" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l ready-fd -d 'The descriptor to say "ready" (or why not) on' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l console-socket -d 'Send the pseudo-terminal\'s master over this socket' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l request -d 'The request, as JSON (made by exec)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -s T -l target -d 'The target to use (default: the current target, else `local`)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -s o -l output -d 'Output format' -r -f -a "table\t'Human tables fitted to the terminal'
json\t'Exactly one JSON document on stdout'"
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l state-dir -d 'The local platform\'s state directory' -r -F
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l timeout -d 'Give up on a platform call after this long (e.g. 30s, 2m)' -r
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -s q -l quiet -d 'Print only IDs (or names), one per line'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l debug -d 'Trace what vicport does to stderr'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -l no-color -d 'Never color output (also: NO_COLOR set to anything)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -s y -l yes -d 'Answer yes to confirmations of destructive operations'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from exec-shim" -s V -l version -d 'Print version'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container from a bundle: boot its VM, leave its process waiting'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a created container\'s process'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "run" -d 'Create and start a container; without --detach, stay with it: its stdio is this command\'s, and its exit code this command\'s, and it is deleted when it ends (unless --keep)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "spec" -d 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "state" -d 'Print a container\'s state as JSON'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to a container\'s process'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a stopped container (or any, with --force)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the containers'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "features" -d 'Print the runtime\'s features as JSON'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a process in a running container'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause a running container (its VM stops running)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Resume a paused container'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "ps" -d 'List a container\'s processes (its shims: the guest\'s are its own)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a container\'s resources while it runs: its memory limit (the VM\'s balloon, up to what it booted with)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "checkpoint" -d 'Save a running container whole (its VM\'s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "restore" -d 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "shim" -d 'The per-container shim (started by create; not for users)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "exec-shim" -d 'The per-exec shim (started by exec; not for users)'
complete -c vicport -n "__fish_vicport_using_subcommand oci; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "domain" -d 'Manage isolation domains (containerVMs)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "run" -d 'Create and start a domain, and attach to it unless detached'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "exec" -d 'Run a command in a running domain'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "logs" -d 'Print a domain\'s log (same as `domain logs`)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "events" -d 'Print lifecycle events'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "image" -d 'Manage images'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "volume" -d 'Manage volumes'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "network" -d 'Manage networks'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "registry" -d 'Log in to and out of image registries'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "target" -d 'Manage targets (platforms vicport talks to)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "login" -d 'Store a target\'s password in the OS keyring'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "logout" -d 'Remove a target\'s password and end its session'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "system" -d 'Information, boot images, shell completions and man pages'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "oci" -d 'The OCI runtime for container engines (also run as `vicport-runc`)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and not __fish_seen_subcommand_from domain run exec logs events image volume network registry target login logout system oci help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "create" -d 'Define a domain from an image without starting it'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "start" -d 'Start domains; a suspended one resumes where it was'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "stop" -d 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain\'s saved state is discarded)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "restart" -d 'Stop domains as `domain stop` does, then start them again'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "suspend" -d 'Suspend running domains: save their memory and devices, power off'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "pause" -d 'Pause running domains: their virtual CPUs stop, their memory stays'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "unpause" -d 'Let paused domains run again (a running one is left as it is)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "kill" -d 'Send a signal to domains\' primary processes, or with --all to all their processes (KILL powers them off)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "rm" -d 'Remove domains'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "prune" -d 'Remove every domain that is not running (created, stopped or broken)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "inspect" -d 'Show everything about domains'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "ls" -d 'List domains'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "wait" -d 'Wait until domains stop; print their exit codes'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "logs" -d 'Print a domain\'s log'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "attach" -d 'Attach to a running domain\'s primary process'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "rename" -d 'Rename a domain'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "label" -d 'Add, change or remove a domain\'s labels'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "update" -d 'Change a domain\'s memory or vCPUs'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "stats" -d 'Show what domains use: CPU, memory, network, disks, processes'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "top" -d 'Show the processes running in a domain'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "port" -d 'Show a domain\'s published ports: its port, and where the host publishes it'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "cp" -d 'Copy files between the host and a domain'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "export" -d 'Write a domain\'s root filesystem as a tar stream'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "diff" -d 'List what a domain changed in its root filesystem since it was made from its image'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from domain" -f -a "commit" -d 'Make a new image of a domain\'s root filesystem'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Push an image from the store to a registry, under an OCI manifest'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Show everything about images'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Show how an image was made: its steps, newest first, with the layer each made'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove images'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove the images no domain uses, and what the blob cache keeps for them'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "create" -d 'Create a volume'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "ls" -d 'List volumes with their store, size and users'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "inspect" -d 'Show everything about volumes'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "rm" -d 'Remove volumes'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "prune" -d 'Remove every volume no domain uses, with its data'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "create" -d 'Create a network'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "ls" -d 'List networks'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "inspect" -d 'Show everything about networks'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "rm" -d 'Remove networks'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "prune" -d 'Remove every network no domain is connected to'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "connect" -d 'Connect a domain to a network, stopped or running'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "disconnect" -d 'Disconnect a domain from a network, stopped or running'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "login" -d 'Check a login with a registry and keep it in the OS keyring'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from registry" -f -a "logout" -d 'Forget vicport\'s login for a registry'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from target" -f -a "add" -d 'Add a target'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from target" -f -a "ls" -d 'List targets'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from target" -f -a "show" -d 'Show a target\'s settings (default: the current one)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from target" -f -a "use" -d 'Make a target the default for later commands'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from target" -f -a "rm" -d 'Remove a target (and its stored password)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "info" -d 'Show the target\'s platform, version and placement'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "completions" -d 'Print the shell completion script for SHELL'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "man" -d 'Write the man pages (vicport.1 and one per subcommand) into DIR'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "bootstrap" -d 'Build the boot image (kernel, modules, tether) that domains boot'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "prune" -d 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache\'s leftovers'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "monitor" -d 'Run a domain\'s monitor (started by `domain start`; not for direct use)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "relay" -d 'Run a vSphere domain\'s link relay (started by the first command that needs the link; not for direct use)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "create" -d 'Create a container from a bundle: boot its VM, leave its process waiting'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "start" -d 'Start a created container\'s process'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "run" -d 'Create and start a container; without --detach, stay with it: its stdio is this command\'s, and its exit code this command\'s, and it is deleted when it ends (unless --keep)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "spec" -d 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "state" -d 'Print a container\'s state as JSON'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "kill" -d 'Send a signal to a container\'s process'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "delete" -d 'Delete a stopped container (or any, with --force)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "list" -d 'List the containers'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "features" -d 'Print the runtime\'s features as JSON'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "exec" -d 'Run a process in a running container'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "pause" -d 'Pause a running container (its VM stops running)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "resume" -d 'Resume a paused container'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "ps" -d 'List a container\'s processes (its shims: the guest\'s are its own)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "update" -d 'Change a container\'s resources while it runs: its memory limit (the VM\'s balloon, up to what it booted with)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "checkpoint" -d 'Save a running container whole (its VM\'s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "restore" -d 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "shim" -d 'The per-container shim (started by create; not for users)'
complete -c vicport -n "__fish_vicport_using_subcommand help; and __fish_seen_subcommand_from oci" -f -a "exec-shim" -d 'The per-exec shim (started by exec; not for users)'
