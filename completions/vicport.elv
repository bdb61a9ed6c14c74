
use builtin;
use str;

set edit:completion:arg-completer[vicport] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'vicport'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'vicport'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand domain 'Manage isolation domains (containerVMs)'
            cand run 'Create and start a domain, and attach to it unless detached'
            cand exec 'Run a command in a running domain'
            cand logs 'Print a domain''s log (same as `domain logs`)'
            cand events 'Print lifecycle events'
            cand image 'Manage images'
            cand volume 'Manage volumes'
            cand network 'Manage networks'
            cand registry 'Log in to and out of image registries'
            cand target 'Manage targets (platforms vicport talks to)'
            cand login 'Store a target''s password in the OS keyring'
            cand logout 'Remove a target''s password and end its session'
            cand system 'Information, boot images, shell completions and man pages'
            cand oci 'The OCI runtime for container engines (also run as `vicport-runc`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;domain'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Define a domain from an image without starting it'
            cand start 'Start domains; a suspended one resumes where it was'
            cand stop 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain''s saved state is discarded)'
            cand restart 'Stop domains as `domain stop` does, then start them again'
            cand suspend 'Suspend running domains: save their memory and devices, power off'
            cand pause 'Pause running domains: their virtual CPUs stop, their memory stays'
            cand unpause 'Let paused domains run again (a running one is left as it is)'
            cand kill 'Send a signal to domains'' primary processes, or with --all to all their processes (KILL powers them off)'
            cand rm 'Remove domains'
            cand remove 'Remove domains'
            cand prune 'Remove every domain that is not running (created, stopped or broken)'
            cand inspect 'Show everything about domains'
            cand ls 'List domains'
            cand list 'List domains'
            cand wait 'Wait until domains stop; print their exit codes'
            cand logs 'Print a domain''s log'
            cand attach 'Attach to a running domain''s primary process'
            cand rename 'Rename a domain'
            cand label 'Add, change or remove a domain''s labels'
            cand update 'Change a domain''s memory or vCPUs'
            cand stats 'Show what domains use: CPU, memory, network, disks, processes'
            cand top 'Show the processes running in a domain'
            cand port 'Show a domain''s published ports: its port, and where the host publishes it'
            cand cp 'Copy files between the host and a domain'
            cand export 'Write a domain''s root filesystem as a tar stream'
            cand diff 'List what a domain changed in its root filesystem since it was made from its image'
            cand commit 'Make a new image of a domain''s root filesystem'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;domain;create'= {
            cand --name 'The domain''s name (default: derived from its id)'
            cand --entrypoint 'Override the image''s entrypoint'
            cand -e 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)'
            cand --env 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)'
            cand --env-file 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins'
            cand --ulimit 'A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096, core=unlimited); repeatable'
            cand --cap-add 'Give the command a capability beyond those left (with --cap-drop ALL); repeatable'
            cand --cap-drop 'Take a capability from the command (NET_RAW, or ALL); repeatable'
            cand --oom-score-adj 'The command''s OOM score adjustment in the guest, -1000 to 1000 (its exec''s too)'
            cand --security-opt 'A security option: no-new-privileges[:true|false]; seccomp=unconfined, apparmor=unconfined and label=disable are what a containerVM''s process has anyway; a profile or label is refused; repeatable'
            cand --sysctl 'A kernel parameter the guest sets before the command starts: NAME=VALUE (net.ipv4.ip_forward=1); repeatable'
            cand --add-host 'An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5, db:[fd00::5]); repeatable, before the other domains'' names'
            cand --dns 'A name server for the domain''s /etc/resolv.conf, instead of its networks''; repeatable'
            cand --dns-search 'A search domain for the domain''s /etc/resolv.conf, instead of its networks''; repeatable'
            cand --dns-option 'An option for the domain''s /etc/resolv.conf (ndots:2); repeatable'
            cand --tmpfs 'Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec); repeatable'
            cand --shm-size 'The size of the domain''s /dev/shm (64m, 1g): a tmpfs of its own, instead of the guest''s, mounted nosuid, nodev and noexec as docker''s'
            cand -w 'The working directory inside the domain'
            cand --workdir 'The working directory inside the domain'
            cand -u 'The user to run as: NAME|UID[:GROUP|GID]'
            cand --user 'The user to run as: NAME|UID[:GROUP|GID]'
            cand --hostname 'The domain''s hostname'
            cand --cpus 'Virtual CPUs'
            cand -m 'Memory, e.g. 512MiB or 1G'
            cand --memory 'Memory, e.g. 512MiB or 1G'
            cand -l 'A label (KEY=VALUE); repeatable'
            cand --label 'A label (KEY=VALUE); repeatable'
            cand -v 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable'
            cand --volume 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable'
            cand --mount 'Mount a volume, a host path or a tmpfs, in docker''s long form; repeatable'
            cand --network 'Join a network: NET[:IP]; repeatable'
            cand -p 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable'
            cand --publish 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable'
            cand --stop-signal 'The signal a graceful stop sends (default: the image''s, else SIGTERM)'
            cand --restart 'Start the domain again when its primary exits on its own: no, on-failure[:MAX] (a code other than 0, at most MAX times in a row), always, unless-stopped'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -P 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s'
            cand --publish-all 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s'
            cand -i 'Keep standard input open'
            cand --interactive 'Keep standard input open'
            cand -t 'Allocate a terminal'
            cand --tty 'Allocate a terminal'
            cand --pid-namespace 'Run the command as PID 1 of a pid namespace of its own in the guest'
            cand --read-only 'Mount the domain''s root filesystem read-only'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;start'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;stop'= {
            cand -t 'Seconds to wait for the primary process to exit before powering off'
            cand --time 'Seconds to wait for the primary process to exit before powering off'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;restart'= {
            cand -t 'Seconds to wait for the primary process to exit before powering off'
            cand --time 'Seconds to wait for the primary process to exit before powering off'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;suspend'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;pause'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;unpause'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;kill'= {
            cand -s 'The signal to send (name or number)'
            cand --signal 'The signal to send (name or number)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -a 'Signal every process of the container (the primary, every exec''s process and what they started), not only the primary'
            cand --all 'Signal every process of the container (the primary, every exec''s process and what they started), not only the primary'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;rm'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Remove running domains too (they are powered off first)'
            cand --force 'Remove running domains too (they are powered off first)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;remove'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Remove running domains too (they are powered off first)'
            cand --force 'Remove running domains too (they are powered off first)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;prune'= {
            cand --filter 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;inspect'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;ls'= {
            cand -f 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable'
            cand --filter 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;list'= {
            cand -f 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable'
            cand --filter 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;wait'= {
            cand --wait-timeout 'Give up after this long (default: wait for ever)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;logs'= {
            cand -n 'Only the last N lines'
            cand --tail 'Only the last N lines'
            cand --since 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)'
            cand --until 'Only what came before this time (same forms as --since; not with --follow)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Keep printing new output until the domain stops'
            cand --follow 'Keep printing new output until the domain stops'
            cand --timestamps 'Prefix each line with its timestamp'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;attach'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --no-stdin 'Do not forward standard input'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;rename'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;label'= {
            cand --rm 'Labels to remove (KEY); repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;update'= {
            cand -m 'Memory, e.g. 512MiB or 1G: what a stopped domain boots with, or what a running one keeps from now on (at most what it booted with)'
            cand --memory 'Memory, e.g. 512MiB or 1G: what a stopped domain boots with, or what a running one keeps from now on (at most what it booted with)'
            cand --cpus 'Virtual CPUs (a stopped domain''s: a running one''s are fixed)'
            cand --restart 'Its restart policy (see `run --restart`), in any state: it applies when a run ends'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;stats'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --no-stream 'Print one sample and exit (the default when stdout is not a terminal)'
            cand --stream 'Print a sample every second until interrupted (the default on a terminal)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;top'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;port'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;cp'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;export'= {
            cand -f 'Write the tar to FILE (replaced once complete) instead of standard output'
            cand --file 'Write the tar to FILE (replaced once complete) instead of standard output'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;diff'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;commit'= {
            cand -m 'A comment for the new layer''s history entry'
            cand --message 'A comment for the new layer''s history entry'
            cand -a 'The new image''s author'
            cand --author 'The new image''s author'
            cand -c 'A Dockerfile instruction for the new image''s settings: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME or STOPSIGNAL (repeatable; e.g. -c ''CMD ["httpd","-f"]'' -c ''ENV MODE=prod'')'
            cand --change 'A Dockerfile instruction for the new image''s settings: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME or STOPSIGNAL (repeatable; e.g. -c ''CMD ["httpd","-f"]'' -c ''ENV MODE=prod'')'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;domain;help'= {
            cand create 'Define a domain from an image without starting it'
            cand start 'Start domains; a suspended one resumes where it was'
            cand stop 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain''s saved state is discarded)'
            cand restart 'Stop domains as `domain stop` does, then start them again'
            cand suspend 'Suspend running domains: save their memory and devices, power off'
            cand pause 'Pause running domains: their virtual CPUs stop, their memory stays'
            cand unpause 'Let paused domains run again (a running one is left as it is)'
            cand kill 'Send a signal to domains'' primary processes, or with --all to all their processes (KILL powers them off)'
            cand rm 'Remove domains'
            cand prune 'Remove every domain that is not running (created, stopped or broken)'
            cand inspect 'Show everything about domains'
            cand ls 'List domains'
            cand wait 'Wait until domains stop; print their exit codes'
            cand logs 'Print a domain''s log'
            cand attach 'Attach to a running domain''s primary process'
            cand rename 'Rename a domain'
            cand label 'Add, change or remove a domain''s labels'
            cand update 'Change a domain''s memory or vCPUs'
            cand stats 'Show what domains use: CPU, memory, network, disks, processes'
            cand top 'Show the processes running in a domain'
            cand port 'Show a domain''s published ports: its port, and where the host publishes it'
            cand cp 'Copy files between the host and a domain'
            cand export 'Write a domain''s root filesystem as a tar stream'
            cand diff 'List what a domain changed in its root filesystem since it was made from its image'
            cand commit 'Make a new image of a domain''s root filesystem'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;domain;help;create'= {
        }
        &'vicport;domain;help;start'= {
        }
        &'vicport;domain;help;stop'= {
        }
        &'vicport;domain;help;restart'= {
        }
        &'vicport;domain;help;suspend'= {
        }
        &'vicport;domain;help;pause'= {
        }
        &'vicport;domain;help;unpause'= {
        }
        &'vicport;domain;help;kill'= {
        }
        &'vicport;domain;help;rm'= {
        }
        &'vicport;domain;help;prune'= {
        }
        &'vicport;domain;help;inspect'= {
        }
        &'vicport;domain;help;ls'= {
        }
        &'vicport;domain;help;wait'= {
        }
        &'vicport;domain;help;logs'= {
        }
        &'vicport;domain;help;attach'= {
        }
        &'vicport;domain;help;rename'= {
        }
        &'vicport;domain;help;label'= {
        }
        &'vicport;domain;help;update'= {
        }
        &'vicport;domain;help;stats'= {
        }
        &'vicport;domain;help;top'= {
        }
        &'vicport;domain;help;port'= {
        }
        &'vicport;domain;help;cp'= {
        }
        &'vicport;domain;help;export'= {
        }
        &'vicport;domain;help;diff'= {
        }
        &'vicport;domain;help;commit'= {
        }
        &'vicport;domain;help;help'= {
        }
        &'vicport;run'= {
            cand --name 'The domain''s name (default: derived from its id)'
            cand --entrypoint 'Override the image''s entrypoint'
            cand -e 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)'
            cand --env 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)'
            cand --env-file 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins'
            cand --ulimit 'A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096, core=unlimited); repeatable'
            cand --cap-add 'Give the command a capability beyond those left (with --cap-drop ALL); repeatable'
            cand --cap-drop 'Take a capability from the command (NET_RAW, or ALL); repeatable'
            cand --oom-score-adj 'The command''s OOM score adjustment in the guest, -1000 to 1000 (its exec''s too)'
            cand --security-opt 'A security option: no-new-privileges[:true|false]; seccomp=unconfined, apparmor=unconfined and label=disable are what a containerVM''s process has anyway; a profile or label is refused; repeatable'
            cand --sysctl 'A kernel parameter the guest sets before the command starts: NAME=VALUE (net.ipv4.ip_forward=1); repeatable'
            cand --add-host 'An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5, db:[fd00::5]); repeatable, before the other domains'' names'
            cand --dns 'A name server for the domain''s /etc/resolv.conf, instead of its networks''; repeatable'
            cand --dns-search 'A search domain for the domain''s /etc/resolv.conf, instead of its networks''; repeatable'
            cand --dns-option 'An option for the domain''s /etc/resolv.conf (ndots:2); repeatable'
            cand --tmpfs 'Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec); repeatable'
            cand --shm-size 'The size of the domain''s /dev/shm (64m, 1g): a tmpfs of its own, instead of the guest''s, mounted nosuid, nodev and noexec as docker''s'
            cand -w 'The working directory inside the domain'
            cand --workdir 'The working directory inside the domain'
            cand -u 'The user to run as: NAME|UID[:GROUP|GID]'
            cand --user 'The user to run as: NAME|UID[:GROUP|GID]'
            cand --hostname 'The domain''s hostname'
            cand --cpus 'Virtual CPUs'
            cand -m 'Memory, e.g. 512MiB or 1G'
            cand --memory 'Memory, e.g. 512MiB or 1G'
            cand -l 'A label (KEY=VALUE); repeatable'
            cand --label 'A label (KEY=VALUE); repeatable'
            cand -v 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable'
            cand --volume 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable'
            cand --mount 'Mount a volume, a host path or a tmpfs, in docker''s long form; repeatable'
            cand --network 'Join a network: NET[:IP]; repeatable'
            cand -p 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable'
            cand --publish 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable'
            cand --stop-signal 'The signal a graceful stop sends (default: the image''s, else SIGTERM)'
            cand --restart 'Start the domain again when its primary exits on its own: no, on-failure[:MAX] (a code other than 0, at most MAX times in a row), always, unless-stopped'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -P 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s'
            cand --publish-all 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s'
            cand -i 'Keep standard input open'
            cand --interactive 'Keep standard input open'
            cand -t 'Allocate a terminal'
            cand --tty 'Allocate a terminal'
            cand --pid-namespace 'Run the command as PID 1 of a pid namespace of its own in the guest'
            cand --read-only 'Mount the domain''s root filesystem read-only'
            cand --rm 'Remove the domain when its primary process exits'
            cand -d 'Start the domain and print its id instead of attaching'
            cand --detach 'Start the domain and print its id instead of attaching'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;exec'= {
            cand -e 'Set an environment variable (KEY=VALUE, or KEY to copy it from here), over the domain''s command''s environment; repeatable'
            cand --env 'Set an environment variable (KEY=VALUE, or KEY to copy it from here), over the domain''s command''s environment; repeatable'
            cand --env-file 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins'
            cand -w 'The working directory (default: the domain''s command''s)'
            cand --workdir 'The working directory (default: the domain''s command''s)'
            cand -u 'The user: NAME|UID[:GROUP|GID] (default: the domain''s command''s)'
            cand --user 'The user: NAME|UID[:GROUP|GID] (default: the domain''s command''s)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -i 'Keep standard input open'
            cand --interactive 'Keep standard input open'
            cand -t 'Allocate a terminal'
            cand --tty 'Allocate a terminal'
            cand -d 'Start the command in the background and print its pid in the domain: its input and output are the domain''s /dev/null, and it runs on until it exits or the domain stops'
            cand --detach 'Start the command in the background and print its pid in the domain: its input and output are the domain''s /dev/null, and it runs on until it exits or the domain stops'
            cand --privileged 'Give the command every capability, whatever the domain''s process was created with (`--cap-drop`, `--cap-add`); without it, the command has the same as that process'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;logs'= {
            cand -n 'Only the last N lines'
            cand --tail 'Only the last N lines'
            cand --since 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)'
            cand --until 'Only what came before this time (same forms as --since; not with --follow)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Keep printing new output until the domain stops'
            cand --follow 'Keep printing new output until the domain stops'
            cand --timestamps 'Prefix each line with its timestamp'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;events'= {
            cand --since 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)'
            cand --until 'Only what came before this time (same forms as --since; not with --follow)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Keep printing new events until interrupted'
            cand --follow 'Keep printing new events until interrupted'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand import 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar'
            cand pull 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)'
            cand push 'Push an image from the store to a registry, under an OCI manifest'
            cand save 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory'
            cand ls 'List images'
            cand list 'List images'
            cand inspect 'Show everything about images'
            cand history 'Show how an image was made: its steps, newest first, with the layer each made'
            cand tag 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one'
            cand rm 'Remove images'
            cand remove 'Remove images'
            cand prune 'Remove the images no domain uses, and what the blob cache keeps for them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;image;import'= {
            cand --name 'The reference to tag it with (NAME[:TAG]); default: the one the archive names. From an archive of several images: the one it names so'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --all 'Every image of an archive that holds several (as `image save` of several writes), each under the names it records'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;pull'= {
            cand --platform 'The platform to pick from an index: OS/ARCH[/VARIANT]'
            cand --tls-verify 'Verify the registry''s certificate (default: true, or its tls_verify setting)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;push'= {
            cand --tls-verify 'Verify the registry''s certificate (default: true, or its tls_verify setting)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;save'= {
            cand --file 'Write the tar to FILE (replaced if it exists) instead of standard output'
            cand --dir 'Write an OCI image layout directory instead of a tar (it must not exist, or be empty)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;ls'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;list'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;inspect'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;history'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;tag'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;rm'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Also remove the domains that use the image (asks first, or --yes)'
            cand --force 'Also remove the domains that use the image (asks first, or --yes)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;remove'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Also remove the domains that use the image (asks first, or --yes)'
            cand --force 'Also remove the domains that use the image (asks first, or --yes)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;prune'= {
            cand --filter 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -a 'Every image no domain uses, tagged or not'
            cand --all 'Every image no domain uses, tagged or not'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;image;help'= {
            cand import 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar'
            cand pull 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)'
            cand push 'Push an image from the store to a registry, under an OCI manifest'
            cand save 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory'
            cand ls 'List images'
            cand inspect 'Show everything about images'
            cand history 'Show how an image was made: its steps, newest first, with the layer each made'
            cand tag 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one'
            cand rm 'Remove images'
            cand prune 'Remove the images no domain uses, and what the blob cache keeps for them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;image;help;import'= {
        }
        &'vicport;image;help;pull'= {
        }
        &'vicport;image;help;push'= {
        }
        &'vicport;image;help;save'= {
        }
        &'vicport;image;help;ls'= {
        }
        &'vicport;image;help;inspect'= {
        }
        &'vicport;image;help;history'= {
        }
        &'vicport;image;help;tag'= {
        }
        &'vicport;image;help;rm'= {
        }
        &'vicport;image;help;prune'= {
        }
        &'vicport;image;help;help'= {
        }
        &'vicport;volume'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a volume'
            cand ls 'List volumes with their store, size and users'
            cand list 'List volumes with their store, size and users'
            cand inspect 'Show everything about volumes'
            cand rm 'Remove volumes'
            cand remove 'Remove volumes'
            cand prune 'Remove every volume no domain uses, with its data'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;volume;create'= {
            cand --size 'Its size, e.g. 512MiB or 10G'
            cand -l 'A label (KEY=VALUE); repeatable'
            cand --label 'A label (KEY=VALUE); repeatable'
            cand --store 'Where to keep it: a directory (local) or datastore path (vSphere)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;ls'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;list'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;inspect'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;rm'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Remove even when domains use it (asks first, or --yes)'
            cand --force 'Remove even when domains use it (asks first, or --yes)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;remove'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Remove even when domains use it (asks first, or --yes)'
            cand --force 'Remove even when domains use it (asks first, or --yes)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;prune'= {
            cand --filter 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;volume;help'= {
            cand create 'Create a volume'
            cand ls 'List volumes with their store, size and users'
            cand inspect 'Show everything about volumes'
            cand rm 'Remove volumes'
            cand prune 'Remove every volume no domain uses, with its data'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;volume;help;create'= {
        }
        &'vicport;volume;help;ls'= {
        }
        &'vicport;volume;help;inspect'= {
        }
        &'vicport;volume;help;rm'= {
        }
        &'vicport;volume;help;prune'= {
        }
        &'vicport;volume;help;help'= {
        }
        &'vicport;network'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a network'
            cand ls 'List networks'
            cand list 'List networks'
            cand inspect 'Show everything about networks'
            cand rm 'Remove networks'
            cand remove 'Remove networks'
            cand prune 'Remove every network no domain is connected to'
            cand connect 'Connect a domain to a network, stopped or running'
            cand disconnect 'Disconnect a domain from a network, stopped or running'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;network;create'= {
            cand --subnet 'The subnet in CIDR form, e.g. 10.0.9.0/24'
            cand --gateway 'The gateway (default: the subnet''s first address)'
            cand --ip-range 'Hand out addresses only from this range (CIDR inside the subnet)'
            cand --dns 'A DNS server for the domains; repeatable'
            cand -l 'A label (KEY=VALUE); repeatable'
            cand --label 'A label (KEY=VALUE); repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --internal 'No route out of the network'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;ls'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;list'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;inspect'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;rm'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;remove'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;prune'= {
            cand --filter 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;connect'= {
            cand --ip 'The address to give it (default: the next free one)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;disconnect'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;network;help'= {
            cand create 'Create a network'
            cand ls 'List networks'
            cand inspect 'Show everything about networks'
            cand rm 'Remove networks'
            cand prune 'Remove every network no domain is connected to'
            cand connect 'Connect a domain to a network, stopped or running'
            cand disconnect 'Disconnect a domain from a network, stopped or running'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;network;help;create'= {
        }
        &'vicport;network;help;ls'= {
        }
        &'vicport;network;help;inspect'= {
        }
        &'vicport;network;help;rm'= {
        }
        &'vicport;network;help;prune'= {
        }
        &'vicport;network;help;connect'= {
        }
        &'vicport;network;help;disconnect'= {
        }
        &'vicport;network;help;help'= {
        }
        &'vicport;registry'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand login 'Check a login with a registry and keep it in the OS keyring'
            cand logout 'Forget vicport''s login for a registry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;registry;login'= {
            cand -u 'The user (asked on a terminal when not given)'
            cand --username 'The user (asked on a terminal when not given)'
            cand --tls-verify 'Verify the registry''s certificate (default: true, or its tls_verify setting)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --password-stdin 'Read the password from standard input'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;registry;logout'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;registry;help'= {
            cand login 'Check a login with a registry and keep it in the OS keyring'
            cand logout 'Forget vicport''s login for a registry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;registry;help;login'= {
        }
        &'vicport;registry;help;logout'= {
        }
        &'vicport;registry;help;help'= {
        }
        &'vicport;target'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Add a target'
            cand ls 'List targets'
            cand list 'List targets'
            cand show 'Show a target''s settings (default: the current one)'
            cand use 'Make a target the default for later commands'
            cand rm 'Remove a target (and its stored password)'
            cand remove 'Remove a target (and its stored password)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;target;add'= {
            cand --platform 'The platform (default: vsphere)'
            cand --url 'The vSphere SDK URL, e.g. https://vc.example.com/sdk'
            cand --username 'The user to log in as'
            cand --datacenter 'The datacenter (name or inventory path)'
            cand --datastore 'The datastore for domains, images and volumes'
            cand --resource-pool 'The resource pool or cluster to place domains in'
            cand --folder 'The VM folder for domains'
            cand --network 'The switch networks are made on: a distributed switch or a port group on one (a standard switch on a standalone host)'
            cand --thumbprint 'Trust the server certificate with this SHA-256 (or SHA-1) thumbprint'
            cand --dir 'The state directory of a local target'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --insecure 'Do not verify the server certificate (unsafe; prefer --thumbprint)'
            cand --use 'Also make it the current target'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;ls'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;list'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;show'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;use'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;rm'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;remove'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;target;help'= {
            cand add 'Add a target'
            cand ls 'List targets'
            cand show 'Show a target''s settings (default: the current one)'
            cand use 'Make a target the default for later commands'
            cand rm 'Remove a target (and its stored password)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;target;help;add'= {
        }
        &'vicport;target;help;ls'= {
        }
        &'vicport;target;help;show'= {
        }
        &'vicport;target;help;use'= {
        }
        &'vicport;target;help;rm'= {
        }
        &'vicport;target;help;help'= {
        }
        &'vicport;login'= {
            cand --username 'The user (also saved as the target''s user)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --password-stdin 'Read the password from standard input'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;logout'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand info 'Show the target''s platform, version and placement'
            cand completions 'Print the shell completion script for SHELL'
            cand man 'Write the man pages (vicport.1 and one per subcommand) into DIR'
            cand bootstrap 'Build the boot image (kernel, modules, tether) that domains boot'
            cand prune 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache''s leftovers'
            cand monitor 'Run a domain''s monitor (started by `domain start`; not for direct use)'
            cand relay 'Run a vSphere domain''s link relay (started by the first command that needs the link; not for direct use)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;system;info'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;completions'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;man'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;bootstrap'= {
            cand --tether 'The statically linked tether (default: VICPORT_TETHER, else next to vicport)'
            cand --kernel 'The guest kernel: Debian''s cloud kernel, or a microVM kernel compiled here from Debian''s linux-source-6.1 (local domains only; minutes to build once, then cached)'
            cand --kernel-deb 'Use this package instead of apt''s: linux-image-cloud-amd64 (cloud), linux-source-6.1 (microvm)'
            cand --busybox-deb 'Use this busybox-static package instead of apt''s'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --no-iso 'Do not build the vSphere boot ISO'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;prune'= {
            cand --filter 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -a 'Every image no domain uses, not only dangling ones'
            cand --all 'Every image no domain uses, not only dangling ones'
            cand --volumes 'Volumes no domain uses too, with their data'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;monitor'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;relay'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;system;help'= {
            cand info 'Show the target''s platform, version and placement'
            cand completions 'Print the shell completion script for SHELL'
            cand man 'Write the man pages (vicport.1 and one per subcommand) into DIR'
            cand bootstrap 'Build the boot image (kernel, modules, tether) that domains boot'
            cand prune 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache''s leftovers'
            cand monitor 'Run a domain''s monitor (started by `domain start`; not for direct use)'
            cand relay 'Run a vSphere domain''s link relay (started by the first command that needs the link; not for direct use)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;system;help;info'= {
        }
        &'vicport;system;help;completions'= {
        }
        &'vicport;system;help;man'= {
        }
        &'vicport;system;help;bootstrap'= {
        }
        &'vicport;system;help;prune'= {
        }
        &'vicport;system;help;monitor'= {
        }
        &'vicport;system;help;relay'= {
        }
        &'vicport;system;help;help'= {
        }
        &'vicport;oci'= {
            cand --root 'The directory of container records [default: /run/vicport-oci as root, else $XDG_RUNTIME_DIR/vicport-oci (rootless podman)]'
            cand --log 'Where errors are logged, besides stderr'
            cand --log-format 'The log''s format: one JSON object per error with json'
            cand --cgroup-manager 'Accepted for compatibility: a containerVM''s cgroups are the guest''s'
            cand --rootless 'Accepted for compatibility (no effect)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --systemd-cgroup 'Accepted for compatibility: a containerVM''s cgroups are the guest''s'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand create 'Create a container from a bundle: boot its VM, leave its process waiting'
            cand start 'Start a created container''s process'
            cand run 'Create and start a container; without --detach, stay with it: its stdio is this command''s, and its exit code this command''s, and it is deleted when it ends (unless --keep)'
            cand spec 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run'
            cand state 'Print a container''s state as JSON'
            cand kill 'Send a signal to a container''s process'
            cand delete 'Delete a stopped container (or any, with --force)'
            cand list 'List the containers'
            cand features 'Print the runtime''s features as JSON'
            cand exec 'Run a process in a running container'
            cand pause 'Pause a running container (its VM stops running)'
            cand resume 'Resume a paused container'
            cand ps 'List a container''s processes (its shims: the guest''s are its own)'
            cand update 'Change a container''s resources while it runs: its memory limit (the VM''s balloon, up to what it booted with)'
            cand checkpoint 'Save a running container whole (its VM''s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running'
            cand restore 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does'
            cand shim 'The per-container shim (started by create; not for users)'
            cand exec-shim 'The per-exec shim (started by exec; not for users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;oci;create'= {
            cand -b 'The bundle directory (holding config.json)'
            cand --bundle 'The bundle directory (holding config.json)'
            cand --pid-file 'Write the container''s pid (its shim''s) here, last'
            cand --console-socket 'With a terminal: send the pseudo-terminal''s master over this socket'
            cand --preserve-fds 'Pass N more descriptors to the process (refused above 0: a VM''s process cannot take the host''s descriptors)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --no-pivot 'Accepted for compatibility (no effect on a VM)'
            cand --no-new-keyring 'Accepted for compatibility (no effect on a VM)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;start'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;run'= {
            cand -b 'The bundle directory (holding config.json)'
            cand --bundle 'The bundle directory (holding config.json)'
            cand --pid-file 'Write the container''s pid (its shim''s) here, last'
            cand --console-socket 'With a terminal: send the pseudo-terminal''s master over this socket'
            cand --preserve-fds 'Pass N more descriptors to the process (refused above 0: a VM''s process cannot take the host''s descriptors)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -d 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)'
            cand --detach 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)'
            cand --keep 'Do not delete the container when its process ends'
            cand --no-subreaper 'Accepted for compatibility (this command waits on its own child)'
            cand --no-pivot 'Accepted for compatibility (no effect on a VM)'
            cand --no-new-keyring 'Accepted for compatibility (no effect on a VM)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;spec'= {
            cand -b 'The bundle directory to write config.json into'
            cand --bundle 'The bundle directory to write config.json into'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;state'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;kill'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -a 'Signal every process of the container, not only its process (in the guest: the process, every exec''s and what they started)'
            cand --all 'Signal every process of the container, not only its process (in the guest: the process, every exec''s and what they started)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;delete'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -f 'Delete even a running container (its VM is powered off)'
            cand --force 'Delete even a running container (its VM is powered off)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;list'= {
            cand -f 'table or json'
            cand --format 'table or json'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;features'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;exec'= {
            cand -p 'The process to run, as the runtime spec''s process object (JSON)'
            cand --process 'The process to run, as the runtime spec''s process object (JSON)'
            cand --console-socket 'With a terminal: send the pseudo-terminal''s master over this socket'
            cand --pid-file 'Write the exec shim''s pid here, last'
            cand --preserve-fds 'Pass N more descriptors to the process (refused above 0)'
            cand --cwd 'Without --process: the working directory'
            cand -e 'Without --process: an environment variable (KEY=VALUE); repeatable'
            cand --env 'Without --process: an environment variable (KEY=VALUE); repeatable'
            cand -u 'Without --process: the user, UID[:GID]'
            cand --user 'Without --process: the user, UID[:GID]'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -d 'Leave the process running and exit (its pid is an exec shim''s)'
            cand --detach 'Leave the process running and exit (its pid is an exec shim''s)'
            cand -t 'Run the process on a terminal (its master goes over --console-socket)'
            cand --tty 'Run the process on a terminal (its master goes over --console-socket)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;pause'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;resume'= {
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;ps'= {
            cand -f 'table or json (a list of pids)'
            cand --format 'table or json (a list of pids)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;update'= {
            cand -r 'The new resources, as the runtime spec''s linux.resources object (JSON; - reads it from stdin)'
            cand --resources 'The new resources, as the runtime spec''s linux.resources object (JSON; - reads it from stdin)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;checkpoint'= {
            cand --image-path 'The checkpoint''s directory'
            cand --work-path 'Accepted for compatibility (a containerVM''s checkpoint writes no logs or statistics)'
            cand --manage-cgroups-mode 'Accepted for compatibility: a containerVM''s cgroups are the guest''s'
            cand --empty-ns 'Accepted for compatibility (a VM''s namespaces are all the guest''s)'
            cand --parent-path 'Refused: a containerVM''s checkpoint is whole (no parent)'
            cand --page-server 'Refused: a containerVM''s checkpoint is written here, not sent to a page server'
            cand --status-fd 'Accepted for compatibility (nothing is reported on it)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --tcp-established 'Accepted: a VM''s saved state holds its TCP connections'
            cand --ext-unix-sk 'Accepted: a VM''s saved state holds its sockets'
            cand --shell-job 'Accepted: a VM''s saved state holds its terminals'
            cand --file-locks 'Accepted: a VM''s saved state holds its file locks'
            cand --lazy-pages 'Refused: a containerVM''s checkpoint is whole, never lazy'
            cand --auto-dedup 'Refused: a containerVM''s checkpoint is written whole, not deduplicated against a parent'
            cand --leave-running 'Leave the container running after its checkpoint'
            cand --pre-dump 'Refused: a containerVM''s checkpoint is whole (no pre-dumps)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;restore'= {
            cand --image-path 'The checkpoint''s directory'
            cand --work-path 'Accepted for compatibility (a containerVM''s checkpoint writes no logs or statistics)'
            cand --manage-cgroups-mode 'Accepted for compatibility: a containerVM''s cgroups are the guest''s'
            cand --empty-ns 'Accepted for compatibility (a VM''s namespaces are all the guest''s)'
            cand --lsm-profile 'Accepted for compatibility (the guest has no LSM of the host''s)'
            cand --lsm-mount-context 'Accepted for compatibility (the guest has no LSM of the host''s)'
            cand -b 'The bundle directory (holding config.json)'
            cand --bundle 'The bundle directory (holding config.json)'
            cand --pid-file 'Write the container''s pid (its shim''s) here, last'
            cand --console-socket 'With a terminal: send the pseudo-terminal''s master over this socket'
            cand --preserve-fds 'Pass N more descriptors to the process (refused above 0: a VM''s process cannot take the host''s descriptors)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand --tcp-established 'Accepted: a VM''s saved state holds its TCP connections'
            cand --ext-unix-sk 'Accepted: a VM''s saved state holds its sockets'
            cand --shell-job 'Accepted: a VM''s saved state holds its terminals'
            cand --file-locks 'Accepted: a VM''s saved state holds its file locks'
            cand --lazy-pages 'Refused: a containerVM''s checkpoint is whole, never lazy'
            cand --auto-dedup 'Refused: a containerVM''s checkpoint is written whole, not deduplicated against a parent'
            cand -d 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)'
            cand --detach 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)'
            cand --no-subreaper 'Accepted for compatibility (this command waits on its own child)'
            cand --no-pivot 'Accepted for compatibility (no effect on a VM)'
            cand --no-new-keyring 'Accepted for compatibility (no effect on a VM)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;shim'= {
            cand --ready-fd 'The descriptor to say "ready" (or why not) on'
            cand --console-socket 'Send the pseudo-terminal''s master over this socket'
            cand --restore 'Start the domain from the checkpoint in this directory, and attach to its process at once (it runs already)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;exec-shim'= {
            cand --ready-fd 'The descriptor to say "ready" (or why not) on'
            cand --console-socket 'Send the pseudo-terminal''s master over this socket'
            cand --request 'The request, as JSON (made by exec)'
            cand -T 'The target to use (default: the current target, else `local`)'
            cand --target 'The target to use (default: the current target, else `local`)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --state-dir 'The local platform''s state directory'
            cand --timeout 'Give up on a platform call after this long (e.g. 30s, 2m)'
            cand -q 'Print only IDs (or names), one per line'
            cand --quiet 'Print only IDs (or names), one per line'
            cand --debug 'Trace what vicport does to stderr'
            cand --no-color 'Never color output (also: NO_COLOR set to anything)'
            cand -y 'Answer yes to confirmations of destructive operations'
            cand --yes 'Answer yes to confirmations of destructive operations'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'vicport;oci;help'= {
            cand create 'Create a container from a bundle: boot its VM, leave its process waiting'
            cand start 'Start a created container''s process'
            cand run 'Create and start a container; without --detach, stay with it: its stdio is this command''s, and its exit code this command''s, and it is deleted when it ends (unless --keep)'
            cand spec 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run'
            cand state 'Print a container''s state as JSON'
            cand kill 'Send a signal to a container''s process'
            cand delete 'Delete a stopped container (or any, with --force)'
            cand list 'List the containers'
            cand features 'Print the runtime''s features as JSON'
            cand exec 'Run a process in a running container'
            cand pause 'Pause a running container (its VM stops running)'
            cand resume 'Resume a paused container'
            cand ps 'List a container''s processes (its shims: the guest''s are its own)'
            cand update 'Change a container''s resources while it runs: its memory limit (the VM''s balloon, up to what it booted with)'
            cand checkpoint 'Save a running container whole (its VM''s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running'
            cand restore 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does'
            cand shim 'The per-container shim (started by create; not for users)'
            cand exec-shim 'The per-exec shim (started by exec; not for users)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;oci;help;create'= {
        }
        &'vicport;oci;help;start'= {
        }
        &'vicport;oci;help;run'= {
        }
        &'vicport;oci;help;spec'= {
        }
        &'vicport;oci;help;state'= {
        }
        &'vicport;oci;help;kill'= {
        }
        &'vicport;oci;help;delete'= {
        }
        &'vicport;oci;help;list'= {
        }
        &'vicport;oci;help;features'= {
        }
        &'vicport;oci;help;exec'= {
        }
        &'vicport;oci;help;pause'= {
        }
        &'vicport;oci;help;resume'= {
        }
        &'vicport;oci;help;ps'= {
        }
        &'vicport;oci;help;update'= {
        }
        &'vicport;oci;help;checkpoint'= {
        }
        &'vicport;oci;help;restore'= {
        }
        &'vicport;oci;help;shim'= {
        }
        &'vicport;oci;help;exec-shim'= {
        }
        &'vicport;oci;help;help'= {
        }
        &'vicport;help'= {
            cand domain 'Manage isolation domains (containerVMs)'
            cand run 'Create and start a domain, and attach to it unless detached'
            cand exec 'Run a command in a running domain'
            cand logs 'Print a domain''s log (same as `domain logs`)'
            cand events 'Print lifecycle events'
            cand image 'Manage images'
            cand volume 'Manage volumes'
            cand network 'Manage networks'
            cand registry 'Log in to and out of image registries'
            cand target 'Manage targets (platforms vicport talks to)'
            cand login 'Store a target''s password in the OS keyring'
            cand logout 'Remove a target''s password and end its session'
            cand system 'Information, boot images, shell completions and man pages'
            cand oci 'The OCI runtime for container engines (also run as `vicport-runc`)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'vicport;help;domain'= {
            cand create 'Define a domain from an image without starting it'
            cand start 'Start domains; a suspended one resumes where it was'
            cand stop 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain''s saved state is discarded)'
            cand restart 'Stop domains as `domain stop` does, then start them again'
            cand suspend 'Suspend running domains: save their memory and devices, power off'
            cand pause 'Pause running domains: their virtual CPUs stop, their memory stays'
            cand unpause 'Let paused domains run again (a running one is left as it is)'
            cand kill 'Send a signal to domains'' primary processes, or with --all to all their processes (KILL powers them off)'
            cand rm 'Remove domains'
            cand prune 'Remove every domain that is not running (created, stopped or broken)'
            cand inspect 'Show everything about domains'
            cand ls 'List domains'
            cand wait 'Wait until domains stop; print their exit codes'
            cand logs 'Print a domain''s log'
            cand attach 'Attach to a running domain''s primary process'
            cand rename 'Rename a domain'
            cand label 'Add, change or remove a domain''s labels'
            cand update 'Change a domain''s memory or vCPUs'
            cand stats 'Show what domains use: CPU, memory, network, disks, processes'
            cand top 'Show the processes running in a domain'
            cand port 'Show a domain''s published ports: its port, and where the host publishes it'
            cand cp 'Copy files between the host and a domain'
            cand export 'Write a domain''s root filesystem as a tar stream'
            cand diff 'List what a domain changed in its root filesystem since it was made from its image'
            cand commit 'Make a new image of a domain''s root filesystem'
        }
        &'vicport;help;domain;create'= {
        }
        &'vicport;help;domain;start'= {
        }
        &'vicport;help;domain;stop'= {
        }
        &'vicport;help;domain;restart'= {
        }
        &'vicport;help;domain;suspend'= {
        }
        &'vicport;help;domain;pause'= {
        }
        &'vicport;help;domain;unpause'= {
        }
        &'vicport;help;domain;kill'= {
        }
        &'vicport;help;domain;rm'= {
        }
        &'vicport;help;domain;prune'= {
        }
        &'vicport;help;domain;inspect'= {
        }
        &'vicport;help;domain;ls'= {
        }
        &'vicport;help;domain;wait'= {
        }
        &'vicport;help;domain;logs'= {
        }
        &'vicport;help;domain;attach'= {
        }
        &'vicport;help;domain;rename'= {
        }
        &'vicport;help;domain;label'= {
        }
        &'vicport;help;domain;update'= {
        }
        &'vicport;help;domain;stats'= {
        }
        &'vicport;help;domain;top'= {
        }
        &'vicport;help;domain;port'= {
        }
        &'vicport;help;domain;cp'= {
        }
        &'vicport;help;domain;export'= {
        }
        &'vicport;help;domain;diff'= {
        }
        &'vicport;help;domain;commit'= {
        }
        &'vicport;help;run'= {
        }
        &'vicport;help;exec'= {
        }
        &'vicport;help;logs'= {
        }
        &'vicport;help;events'= {
        }
        &'vicport;help;image'= {
            cand import 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar'
            cand pull 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)'
            cand push 'Push an image from the store to a registry, under an OCI manifest'
            cand save 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory'
            cand ls 'List images'
            cand inspect 'Show everything about images'
            cand history 'Show how an image was made: its steps, newest first, with the layer each made'
            cand tag 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one'
            cand rm 'Remove images'
            cand prune 'Remove the images no domain uses, and what the blob cache keeps for them'
        }
        &'vicport;help;image;import'= {
        }
        &'vicport;help;image;pull'= {
        }
        &'vicport;help;image;push'= {
        }
        &'vicport;help;image;save'= {
        }
        &'vicport;help;image;ls'= {
        }
        &'vicport;help;image;inspect'= {
        }
        &'vicport;help;image;history'= {
        }
        &'vicport;help;image;tag'= {
        }
        &'vicport;help;image;rm'= {
        }
        &'vicport;help;image;prune'= {
        }
        &'vicport;help;volume'= {
            cand create 'Create a volume'
            cand ls 'List volumes with their store, size and users'
            cand inspect 'Show everything about volumes'
            cand rm 'Remove volumes'
            cand prune 'Remove every volume no domain uses, with its data'
        }
        &'vicport;help;volume;create'= {
        }
        &'vicport;help;volume;ls'= {
        }
        &'vicport;help;volume;inspect'= {
        }
        &'vicport;help;volume;rm'= {
        }
        &'vicport;help;volume;prune'= {
        }
        &'vicport;help;network'= {
            cand create 'Create a network'
            cand ls 'List networks'
            cand inspect 'Show everything about networks'
            cand rm 'Remove networks'
            cand prune 'Remove every network no domain is connected to'
            cand connect 'Connect a domain to a network, stopped or running'
            cand disconnect 'Disconnect a domain from a network, stopped or running'
        }
        &'vicport;help;network;create'= {
        }
        &'vicport;help;network;ls'= {
        }
        &'vicport;help;network;inspect'= {
        }
        &'vicport;help;network;rm'= {
        }
        &'vicport;help;network;prune'= {
        }
        &'vicport;help;network;connect'= {
        }
        &'vicport;help;network;disconnect'= {
        }
        &'vicport;help;registry'= {
            cand login 'Check a login with a registry and keep it in the OS keyring'
            cand logout 'Forget vicport''s login for a registry'
        }
        &'vicport;help;registry;login'= {
        }
        &'vicport;help;registry;logout'= {
        }
        &'vicport;help;target'= {
            cand add 'Add a target'
            cand ls 'List targets'
            cand show 'Show a target''s settings (default: the current one)'
            cand use 'Make a target the default for later commands'
            cand rm 'Remove a target (and its stored password)'
        }
        &'vicport;help;target;add'= {
        }
        &'vicport;help;target;ls'= {
        }
        &'vicport;help;target;show'= {
        }
        &'vicport;help;target;use'= {
        }
        &'vicport;help;target;rm'= {
        }
        &'vicport;help;login'= {
        }
        &'vicport;help;logout'= {
        }
        &'vicport;help;system'= {
            cand info 'Show the target''s platform, version and placement'
            cand completions 'Print the shell completion script for SHELL'
            cand man 'Write the man pages (vicport.1 and one per subcommand) into DIR'
            cand bootstrap 'Build the boot image (kernel, modules, tether) that domains boot'
            cand prune 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache''s leftovers'
            cand monitor 'Run a domain''s monitor (started by `domain start`; not for direct use)'
            cand relay 'Run a vSphere domain''s link relay (started by the first command that needs the link; not for direct use)'
        }
        &'vicport;help;system;info'= {
        }
        &'vicport;help;system;completions'= {
        }
        &'vicport;help;system;man'= {
        }
        &'vicport;help;system;bootstrap'= {
        }
        &'vicport;help;system;prune'= {
        }
        &'vicport;help;system;monitor'= {
        }
        &'vicport;help;system;relay'= {
        }
        &'vicport;help;oci'= {
            cand create 'Create a container from a bundle: boot its VM, leave its process waiting'
            cand start 'Start a created container''s process'
            cand run 'Create and start a container; without --detach, stay with it: its stdio is this command''s, and its exit code this command''s, and it is deleted when it ends (unless --keep)'
            cand spec 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run'
            cand state 'Print a container''s state as JSON'
            cand kill 'Send a signal to a container''s process'
            cand delete 'Delete a stopped container (or any, with --force)'
            cand list 'List the containers'
            cand features 'Print the runtime''s features as JSON'
            cand exec 'Run a process in a running container'
            cand pause 'Pause a running container (its VM stops running)'
            cand resume 'Resume a paused container'
            cand ps 'List a container''s processes (its shims: the guest''s are its own)'
            cand update 'Change a container''s resources while it runs: its memory limit (the VM''s balloon, up to what it booted with)'
            cand checkpoint 'Save a running container whole (its VM''s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running'
            cand restore 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does'
            cand shim 'The per-container shim (started by create; not for users)'
            cand exec-shim 'The per-exec shim (started by exec; not for users)'
        }
        &'vicport;help;oci;create'= {
        }
        &'vicport;help;oci;start'= {
        }
        &'vicport;help;oci;run'= {
        }
        &'vicport;help;oci;spec'= {
        }
        &'vicport;help;oci;state'= {
        }
        &'vicport;help;oci;kill'= {
        }
        &'vicport;help;oci;delete'= {
        }
        &'vicport;help;oci;list'= {
        }
        &'vicport;help;oci;features'= {
        }
        &'vicport;help;oci;exec'= {
        }
        &'vicport;help;oci;pause'= {
        }
        &'vicport;help;oci;resume'= {
        }
        &'vicport;help;oci;ps'= {
        }
        &'vicport;help;oci;update'= {
        }
        &'vicport;help;oci;checkpoint'= {
        }
        &'vicport;help;oci;restore'= {
        }
        &'vicport;help;oci;shim'= {
        }
        &'vicport;help;oci;exec-shim'= {
        }
        &'vicport;help;help'= {
        }
    ]
    $completions[$command]
}
