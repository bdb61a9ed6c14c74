
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'vicport' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'vicport'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'vicport' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('domain', 'domain', [CompletionResultType]::ParameterValue, 'Manage isolation domains (containerVMs)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Create and start a domain, and attach to it unless detached')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command in a running domain')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a domain''s log (same as `domain logs`)')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Print lifecycle events')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Manage images')
            [CompletionResult]::new('volume', 'volume', [CompletionResultType]::ParameterValue, 'Manage volumes')
            [CompletionResult]::new('network', 'network', [CompletionResultType]::ParameterValue, 'Manage networks')
            [CompletionResult]::new('registry', 'registry', [CompletionResultType]::ParameterValue, 'Log in to and out of image registries')
            [CompletionResult]::new('target', 'target', [CompletionResultType]::ParameterValue, 'Manage targets (platforms vicport talks to)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a target''s password in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a target''s password and end its session')
            [CompletionResult]::new('system', 'system', [CompletionResultType]::ParameterValue, 'Information, boot images, shell completions and man pages')
            [CompletionResult]::new('oci', 'oci', [CompletionResultType]::ParameterValue, 'The OCI runtime for container engines (also run as `vicport-runc`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;domain' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define a domain from an image without starting it')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start domains; a suspended one resumes where it was')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain''s saved state is discarded)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Stop domains as `domain stop` does, then start them again')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Suspend running domains: save their memory and devices, power off')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause running domains: their virtual CPUs stop, their memory stays')
            [CompletionResult]::new('unpause', 'unpause', [CompletionResultType]::ParameterValue, 'Let paused domains run again (a running one is left as it is)')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to domains'' primary processes, or with --all to all their processes (KILL powers them off)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove domains')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove domains')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every domain that is not running (created, stopped or broken)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about domains')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List domains')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List domains')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until domains stop; print their exit codes')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a domain''s log')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach to a running domain''s primary process')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a domain')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Add, change or remove a domain''s labels')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a domain''s memory or vCPUs')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show what domains use: CPU, memory, network, disks, processes')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Show the processes running in a domain')
            [CompletionResult]::new('port', 'port', [CompletionResultType]::ParameterValue, 'Show a domain''s published ports: its port, and where the host publishes it')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy files between the host and a domain')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a domain''s root filesystem as a tar stream')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'List what a domain changed in its root filesystem since it was made from its image')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Make a new image of a domain''s root filesystem')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;domain;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The domain''s name (default: derived from its id)')
            [CompletionResult]::new('--entrypoint', '--entrypoint', [CompletionResultType]::ParameterName, 'Override the image''s entrypoint')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins')
            [CompletionResult]::new('--ulimit', '--ulimit', [CompletionResultType]::ParameterName, 'A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096, core=unlimited); repeatable')
            [CompletionResult]::new('--cap-add', '--cap-add', [CompletionResultType]::ParameterName, 'Give the command a capability beyond those left (with --cap-drop ALL); repeatable')
            [CompletionResult]::new('--cap-drop', '--cap-drop', [CompletionResultType]::ParameterName, 'Take a capability from the command (NET_RAW, or ALL); repeatable')
            [CompletionResult]::new('--oom-score-adj', '--oom-score-adj', [CompletionResultType]::ParameterName, 'The command''s OOM score adjustment in the guest, -1000 to 1000 (its exec''s too)')
            [CompletionResult]::new('--security-opt', '--security-opt', [CompletionResultType]::ParameterName, 'A security option: no-new-privileges[:true|false]; seccomp=unconfined, apparmor=unconfined and label=disable are what a containerVM''s process has anyway; a profile or label is refused; repeatable')
            [CompletionResult]::new('--sysctl', '--sysctl', [CompletionResultType]::ParameterName, 'A kernel parameter the guest sets before the command starts: NAME=VALUE (net.ipv4.ip_forward=1); repeatable')
            [CompletionResult]::new('--add-host', '--add-host', [CompletionResultType]::ParameterName, 'An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5, db:[fd00::5]); repeatable, before the other domains'' names')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'A name server for the domain''s /etc/resolv.conf, instead of its networks''; repeatable')
            [CompletionResult]::new('--dns-search', '--dns-search', [CompletionResultType]::ParameterName, 'A search domain for the domain''s /etc/resolv.conf, instead of its networks''; repeatable')
            [CompletionResult]::new('--dns-option', '--dns-option', [CompletionResultType]::ParameterName, 'An option for the domain''s /etc/resolv.conf (ndots:2); repeatable')
            [CompletionResult]::new('--tmpfs', '--tmpfs', [CompletionResultType]::ParameterName, 'Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec); repeatable')
            [CompletionResult]::new('--shm-size', '--shm-size', [CompletionResultType]::ParameterName, 'The size of the domain''s /dev/shm (64m, 1g): a tmpfs of its own, instead of the guest''s, mounted nosuid, nodev and noexec as docker''s')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'The working directory inside the domain')
            [CompletionResult]::new('--workdir', '--workdir', [CompletionResultType]::ParameterName, 'The working directory inside the domain')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The user to run as: NAME|UID[:GROUP|GID]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to run as: NAME|UID[:GROUP|GID]')
            [CompletionResult]::new('--hostname', '--hostname', [CompletionResultType]::ParameterName, 'The domain''s hostname')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'Virtual CPUs')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Memory, e.g. 512MiB or 1G')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory, e.g. 512MiB or 1G')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable')
            [CompletionResult]::new('--volume', '--volume', [CompletionResultType]::ParameterName, 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable')
            [CompletionResult]::new('--mount', '--mount', [CompletionResultType]::ParameterName, 'Mount a volume, a host path or a tmpfs, in docker''s long form; repeatable')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Join a network: NET[:IP]; repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable')
            [CompletionResult]::new('--stop-signal', '--stop-signal', [CompletionResultType]::ParameterName, 'The signal a graceful stop sends (default: the image''s, else SIGTERM)')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Start the domain again when its primary exits on its own: no, on-failure[:MAX] (a code other than 0, at most MAX times in a row), always, unless-stopped')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s')
            [CompletionResult]::new('--publish-all', '--publish-all', [CompletionResultType]::ParameterName, 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Keep standard input open')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Keep standard input open')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Allocate a terminal')
            [CompletionResult]::new('--tty', '--tty', [CompletionResultType]::ParameterName, 'Allocate a terminal')
            [CompletionResult]::new('--pid-namespace', '--pid-namespace', [CompletionResultType]::ParameterName, 'Run the command as PID 1 of a pid namespace of its own in the guest')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Mount the domain''s root filesystem read-only')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;start' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;stop' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Seconds to wait for the primary process to exit before powering off')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'Seconds to wait for the primary process to exit before powering off')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;restart' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Seconds to wait for the primary process to exit before powering off')
            [CompletionResult]::new('--time', '--time', [CompletionResultType]::ParameterName, 'Seconds to wait for the primary process to exit before powering off')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;suspend' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;pause' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;unpause' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;kill' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'The signal to send (name or number)')
            [CompletionResult]::new('--signal', '--signal', [CompletionResultType]::ParameterName, 'The signal to send (name or number)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Signal every process of the container (the primary, every exec''s process and what they started), not only the primary')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Signal every process of the container (the primary, every exec''s process and what they started), not only the primary')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;rm' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Remove running domains too (they are powered off first)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove running domains too (they are powered off first)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;remove' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Remove running domains too (they are powered off first)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove running domains too (they are powered off first)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;prune' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;inspect' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;ls' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;list' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Filter: name=SUBSTRING, state=STATE, label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;wait' {
            [CompletionResult]::new('--wait-timeout', '--wait-timeout', [CompletionResultType]::ParameterName, 'Give up after this long (default: wait for ever)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;logs' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only what came before this time (same forms as --since; not with --follow)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new output until the domain stops')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new output until the domain stops')
            [CompletionResult]::new('--timestamps', '--timestamps', [CompletionResultType]::ParameterName, 'Prefix each line with its timestamp')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;attach' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--no-stdin', '--no-stdin', [CompletionResultType]::ParameterName, 'Do not forward standard input')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;rename' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;label' {
            [CompletionResult]::new('--rm', '--rm', [CompletionResultType]::ParameterName, 'Labels to remove (KEY); repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;update' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Memory, e.g. 512MiB or 1G: what a stopped domain boots with, or what a running one keeps from now on (at most what it booted with)')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory, e.g. 512MiB or 1G: what a stopped domain boots with, or what a running one keeps from now on (at most what it booted with)')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'Virtual CPUs (a stopped domain''s: a running one''s are fixed)')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Its restart policy (see `run --restart`), in any state: it applies when a run ends')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;stats' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--no-stream', '--no-stream', [CompletionResultType]::ParameterName, 'Print one sample and exit (the default when stdout is not a terminal)')
            [CompletionResult]::new('--stream', '--stream', [CompletionResultType]::ParameterName, 'Print a sample every second until interrupted (the default on a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;top' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;port' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;cp' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;export' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Write the tar to FILE (replaced once complete) instead of standard output')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Write the tar to FILE (replaced once complete) instead of standard output')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;diff' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;commit' {
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'A comment for the new layer''s history entry')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'A comment for the new layer''s history entry')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'The new image''s author')
            [CompletionResult]::new('--author', '--author', [CompletionResultType]::ParameterName, 'The new image''s author')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'A Dockerfile instruction for the new image''s settings: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME or STOPSIGNAL (repeatable; e.g. -c ''CMD ["httpd","-f"]'' -c ''ENV MODE=prod'')')
            [CompletionResult]::new('--change', '--change', [CompletionResultType]::ParameterName, 'A Dockerfile instruction for the new image''s settings: CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, VOLUME or STOPSIGNAL (repeatable; e.g. -c ''CMD ["httpd","-f"]'' -c ''ENV MODE=prod'')')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;domain;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define a domain from an image without starting it')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start domains; a suspended one resumes where it was')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain''s saved state is discarded)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Stop domains as `domain stop` does, then start them again')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Suspend running domains: save their memory and devices, power off')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause running domains: their virtual CPUs stop, their memory stays')
            [CompletionResult]::new('unpause', 'unpause', [CompletionResultType]::ParameterValue, 'Let paused domains run again (a running one is left as it is)')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to domains'' primary processes, or with --all to all their processes (KILL powers them off)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove domains')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every domain that is not running (created, stopped or broken)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about domains')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List domains')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until domains stop; print their exit codes')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a domain''s log')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach to a running domain''s primary process')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a domain')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Add, change or remove a domain''s labels')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a domain''s memory or vCPUs')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show what domains use: CPU, memory, network, disks, processes')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Show the processes running in a domain')
            [CompletionResult]::new('port', 'port', [CompletionResultType]::ParameterValue, 'Show a domain''s published ports: its port, and where the host publishes it')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy files between the host and a domain')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a domain''s root filesystem as a tar stream')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'List what a domain changed in its root filesystem since it was made from its image')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Make a new image of a domain''s root filesystem')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;domain;help;create' {
            break
        }
        'vicport;domain;help;start' {
            break
        }
        'vicport;domain;help;stop' {
            break
        }
        'vicport;domain;help;restart' {
            break
        }
        'vicport;domain;help;suspend' {
            break
        }
        'vicport;domain;help;pause' {
            break
        }
        'vicport;domain;help;unpause' {
            break
        }
        'vicport;domain;help;kill' {
            break
        }
        'vicport;domain;help;rm' {
            break
        }
        'vicport;domain;help;prune' {
            break
        }
        'vicport;domain;help;inspect' {
            break
        }
        'vicport;domain;help;ls' {
            break
        }
        'vicport;domain;help;wait' {
            break
        }
        'vicport;domain;help;logs' {
            break
        }
        'vicport;domain;help;attach' {
            break
        }
        'vicport;domain;help;rename' {
            break
        }
        'vicport;domain;help;label' {
            break
        }
        'vicport;domain;help;update' {
            break
        }
        'vicport;domain;help;stats' {
            break
        }
        'vicport;domain;help;top' {
            break
        }
        'vicport;domain;help;port' {
            break
        }
        'vicport;domain;help;cp' {
            break
        }
        'vicport;domain;help;export' {
            break
        }
        'vicport;domain;help;diff' {
            break
        }
        'vicport;domain;help;commit' {
            break
        }
        'vicport;domain;help;help' {
            break
        }
        'vicport;run' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The domain''s name (default: derived from its id)')
            [CompletionResult]::new('--entrypoint', '--entrypoint', [CompletionResultType]::ParameterName, 'Override the image''s entrypoint')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable (KEY=VALUE, or KEY to copy it from here)')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins')
            [CompletionResult]::new('--ulimit', '--ulimit', [CompletionResultType]::ParameterName, 'A resource limit of the command: NAME=SOFT[:HARD] (nofile=1024:4096, core=unlimited); repeatable')
            [CompletionResult]::new('--cap-add', '--cap-add', [CompletionResultType]::ParameterName, 'Give the command a capability beyond those left (with --cap-drop ALL); repeatable')
            [CompletionResult]::new('--cap-drop', '--cap-drop', [CompletionResultType]::ParameterName, 'Take a capability from the command (NET_RAW, or ALL); repeatable')
            [CompletionResult]::new('--oom-score-adj', '--oom-score-adj', [CompletionResultType]::ParameterName, 'The command''s OOM score adjustment in the guest, -1000 to 1000 (its exec''s too)')
            [CompletionResult]::new('--security-opt', '--security-opt', [CompletionResultType]::ParameterName, 'A security option: no-new-privileges[:true|false]; seccomp=unconfined, apparmor=unconfined and label=disable are what a containerVM''s process has anyway; a profile or label is refused; repeatable')
            [CompletionResult]::new('--sysctl', '--sysctl', [CompletionResultType]::ParameterName, 'A kernel parameter the guest sets before the command starts: NAME=VALUE (net.ipv4.ip_forward=1); repeatable')
            [CompletionResult]::new('--add-host', '--add-host', [CompletionResultType]::ParameterName, 'An /etc/hosts line in the domain: NAME:IP (db:10.0.9.5, db:[fd00::5]); repeatable, before the other domains'' names')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'A name server for the domain''s /etc/resolv.conf, instead of its networks''; repeatable')
            [CompletionResult]::new('--dns-search', '--dns-search', [CompletionResultType]::ParameterName, 'A search domain for the domain''s /etc/resolv.conf, instead of its networks''; repeatable')
            [CompletionResult]::new('--dns-option', '--dns-option', [CompletionResultType]::ParameterName, 'An option for the domain''s /etc/resolv.conf (ndots:2); repeatable')
            [CompletionResult]::new('--tmpfs', '--tmpfs', [CompletionResultType]::ParameterName, 'Mount a tmpfs in the domain: PATH[:OPTIONS] (/run:size=64m,noexec); repeatable')
            [CompletionResult]::new('--shm-size', '--shm-size', [CompletionResultType]::ParameterName, 'The size of the domain''s /dev/shm (64m, 1g): a tmpfs of its own, instead of the guest''s, mounted nosuid, nodev and noexec as docker''s')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'The working directory inside the domain')
            [CompletionResult]::new('--workdir', '--workdir', [CompletionResultType]::ParameterName, 'The working directory inside the domain')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The user to run as: NAME|UID[:GROUP|GID]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user to run as: NAME|UID[:GROUP|GID]')
            [CompletionResult]::new('--hostname', '--hostname', [CompletionResultType]::ParameterName, 'The domain''s hostname')
            [CompletionResult]::new('--cpus', '--cpus', [CompletionResultType]::ParameterName, 'Virtual CPUs')
            [CompletionResult]::new('-m', '-m', [CompletionResultType]::ParameterName, 'Memory, e.g. 512MiB or 1G')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Memory, e.g. 512MiB or 1G')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable')
            [CompletionResult]::new('--volume', '--volume', [CompletionResultType]::ParameterName, 'Join a volume, NAME:/path[:ro], or share a host path into the domain, HOST_PATH:/path[:ro] (absolute, or from ./); repeatable')
            [CompletionResult]::new('--mount', '--mount', [CompletionResultType]::ParameterName, 'Mount a volume, a host path or a tmpfs, in docker''s long form; repeatable')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Join a network: NET[:IP]; repeatable')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable')
            [CompletionResult]::new('--publish', '--publish', [CompletionResultType]::ParameterName, 'Publish a port: [HOST_IP:][HOST_PORT:]PORT[/tcp|/udp]; repeatable')
            [CompletionResult]::new('--stop-signal', '--stop-signal', [CompletionResultType]::ParameterName, 'The signal a graceful stop sends (default: the image''s, else SIGTERM)')
            [CompletionResult]::new('--restart', '--restart', [CompletionResultType]::ParameterName, 'Start the domain again when its primary exits on its own: no, on-failure[:MAX] (a code other than 0, at most MAX times in a row), always, unless-stopped')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s')
            [CompletionResult]::new('--publish-all', '--publish-all', [CompletionResultType]::ParameterName, 'Publish every port the image exposes (its EXPOSE, `image inspect`''s exposed_ports) on a host port chosen at each start, besides --publish''s')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Keep standard input open')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Keep standard input open')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Allocate a terminal')
            [CompletionResult]::new('--tty', '--tty', [CompletionResultType]::ParameterName, 'Allocate a terminal')
            [CompletionResult]::new('--pid-namespace', '--pid-namespace', [CompletionResultType]::ParameterName, 'Run the command as PID 1 of a pid namespace of its own in the guest')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Mount the domain''s root filesystem read-only')
            [CompletionResult]::new('--rm', '--rm', [CompletionResultType]::ParameterName, 'Remove the domain when its primary process exits')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Start the domain and print its id instead of attaching')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Start the domain and print its id instead of attaching')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;exec' {
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Set an environment variable (KEY=VALUE, or KEY to copy it from here), over the domain''s command''s environment; repeatable')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Set an environment variable (KEY=VALUE, or KEY to copy it from here), over the domain''s command''s environment; repeatable')
            [CompletionResult]::new('--env-file', '--env-file', [CompletionResultType]::ParameterName, 'Read environment variables from a file: KEY=VALUE (or KEY) per line, `#` comments; repeatable, `--env` wins')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'The working directory (default: the domain''s command''s)')
            [CompletionResult]::new('--workdir', '--workdir', [CompletionResultType]::ParameterName, 'The working directory (default: the domain''s command''s)')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The user: NAME|UID[:GROUP|GID] (default: the domain''s command''s)')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user: NAME|UID[:GROUP|GID] (default: the domain''s command''s)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Keep standard input open')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Keep standard input open')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Allocate a terminal')
            [CompletionResult]::new('--tty', '--tty', [CompletionResultType]::ParameterName, 'Allocate a terminal')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Start the command in the background and print its pid in the domain: its input and output are the domain''s /dev/null, and it runs on until it exits or the domain stops')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Start the command in the background and print its pid in the domain: its input and output are the domain''s /dev/null, and it runs on until it exits or the domain stops')
            [CompletionResult]::new('--privileged', '--privileged', [CompletionResultType]::ParameterName, 'Give the command every capability, whatever the domain''s process was created with (`--cap-drop`, `--cap-add`); without it, the command has the same as that process')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;logs' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--tail', '--tail', [CompletionResultType]::ParameterName, 'Only the last N lines')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only what came before this time (same forms as --since; not with --follow)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new output until the domain stops')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new output until the domain stops')
            [CompletionResult]::new('--timestamps', '--timestamps', [CompletionResultType]::ParameterName, 'Prefix each line with its timestamp')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;events' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what came at or after this time: RFC 3339 (2026-12-07T05:30:00Z), unix seconds, or a duration before now (10m)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only what came before this time (same forms as --since; not with --follow)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new events until interrupted')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new events until interrupted')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push an image from the store to a registry, under an OCI manifest')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List images')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List images')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about images')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Show how an image was made: its steps, newest first, with the layer each made')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove images')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove images')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove the images no domain uses, and what the blob cache keeps for them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;image;import' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'The reference to tag it with (NAME[:TAG]); default: the one the archive names. From an archive of several images: the one it names so')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every image of an archive that holds several (as `image save` of several writes), each under the names it records')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;pull' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'The platform to pick from an index: OS/ARCH[/VARIANT]')
            [CompletionResult]::new('--tls-verify', '--tls-verify', [CompletionResultType]::ParameterName, 'Verify the registry''s certificate (default: true, or its tls_verify setting)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;push' {
            [CompletionResult]::new('--tls-verify', '--tls-verify', [CompletionResultType]::ParameterName, 'Verify the registry''s certificate (default: true, or its tls_verify setting)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;save' {
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Write the tar to FILE (replaced if it exists) instead of standard output')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Write an OCI image layout directory instead of a tar (it must not exist, or be empty)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;ls' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;list' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;inspect' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;history' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;tag' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;rm' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Also remove the domains that use the image (asks first, or --yes)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also remove the domains that use the image (asks first, or --yes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;remove' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Also remove the domains that use the image (asks first, or --yes)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Also remove the domains that use the image (asks first, or --yes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;prune' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Every image no domain uses, tagged or not')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every image no domain uses, tagged or not')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;image;help' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push an image from the store to a registry, under an OCI manifest')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List images')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about images')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Show how an image was made: its steps, newest first, with the layer each made')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove images')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove the images no domain uses, and what the blob cache keeps for them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;image;help;import' {
            break
        }
        'vicport;image;help;pull' {
            break
        }
        'vicport;image;help;push' {
            break
        }
        'vicport;image;help;save' {
            break
        }
        'vicport;image;help;ls' {
            break
        }
        'vicport;image;help;inspect' {
            break
        }
        'vicport;image;help;history' {
            break
        }
        'vicport;image;help;tag' {
            break
        }
        'vicport;image;help;rm' {
            break
        }
        'vicport;image;help;prune' {
            break
        }
        'vicport;image;help;help' {
            break
        }
        'vicport;volume' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a volume')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List volumes with their store, size and users')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List volumes with their store, size and users')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about volumes')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove volumes')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove volumes')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every volume no domain uses, with its data')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;volume;create' {
            [CompletionResult]::new('--size', '--size', [CompletionResultType]::ParameterName, 'Its size, e.g. 512MiB or 10G')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Where to keep it: a directory (local) or datastore path (vSphere)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;ls' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;list' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;inspect' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;rm' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Remove even when domains use it (asks first, or --yes)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove even when domains use it (asks first, or --yes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;remove' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Remove even when domains use it (asks first, or --yes)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Remove even when domains use it (asks first, or --yes)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;prune' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;volume;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a volume')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List volumes with their store, size and users')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about volumes')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove volumes')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every volume no domain uses, with its data')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;volume;help;create' {
            break
        }
        'vicport;volume;help;ls' {
            break
        }
        'vicport;volume;help;inspect' {
            break
        }
        'vicport;volume;help;rm' {
            break
        }
        'vicport;volume;help;prune' {
            break
        }
        'vicport;volume;help;help' {
            break
        }
        'vicport;network' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a network')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List networks')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List networks')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about networks')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove networks')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove networks')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every network no domain is connected to')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect a domain to a network, stopped or running')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Disconnect a domain from a network, stopped or running')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;network;create' {
            [CompletionResult]::new('--subnet', '--subnet', [CompletionResultType]::ParameterName, 'The subnet in CIDR form, e.g. 10.0.9.0/24')
            [CompletionResult]::new('--gateway', '--gateway', [CompletionResultType]::ParameterName, 'The gateway (default: the subnet''s first address)')
            [CompletionResult]::new('--ip-range', '--ip-range', [CompletionResultType]::ParameterName, 'Hand out addresses only from this range (CIDR inside the subnet)')
            [CompletionResult]::new('--dns', '--dns', [CompletionResultType]::ParameterName, 'A DNS server for the domains; repeatable')
            [CompletionResult]::new('-l', '-l', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('--label', '--label', [CompletionResultType]::ParameterName, 'A label (KEY=VALUE); repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--internal', '--internal', [CompletionResultType]::ParameterName, 'No route out of the network')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;ls' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;list' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;inspect' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;rm' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;remove' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;prune' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;connect' {
            [CompletionResult]::new('--ip', '--ip', [CompletionResultType]::ParameterName, 'The address to give it (default: the next free one)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;disconnect' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;network;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a network')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List networks')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about networks')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove networks')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every network no domain is connected to')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect a domain to a network, stopped or running')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Disconnect a domain from a network, stopped or running')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;network;help;create' {
            break
        }
        'vicport;network;help;ls' {
            break
        }
        'vicport;network;help;inspect' {
            break
        }
        'vicport;network;help;rm' {
            break
        }
        'vicport;network;help;prune' {
            break
        }
        'vicport;network;help;connect' {
            break
        }
        'vicport;network;help;disconnect' {
            break
        }
        'vicport;network;help;help' {
            break
        }
        'vicport;registry' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check a login with a registry and keep it in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget vicport''s login for a registry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;registry;login' {
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'The user (asked on a terminal when not given)')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The user (asked on a terminal when not given)')
            [CompletionResult]::new('--tls-verify', '--tls-verify', [CompletionResultType]::ParameterName, 'Verify the registry''s certificate (default: true, or its tls_verify setting)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;registry;logout' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;registry;help' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check a login with a registry and keep it in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget vicport''s login for a registry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;registry;help;login' {
            break
        }
        'vicport;registry;help;logout' {
            break
        }
        'vicport;registry;help;help' {
            break
        }
        'vicport;target' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a target')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List targets')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List targets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a target''s settings (default: the current one)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a target the default for later commands')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a target (and its stored password)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a target (and its stored password)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;target;add' {
            [CompletionResult]::new('--platform', '--platform', [CompletionResultType]::ParameterName, 'The platform (default: vsphere)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'The vSphere SDK URL, e.g. https://vc.example.com/sdk')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The user to log in as')
            [CompletionResult]::new('--datacenter', '--datacenter', [CompletionResultType]::ParameterName, 'The datacenter (name or inventory path)')
            [CompletionResult]::new('--datastore', '--datastore', [CompletionResultType]::ParameterName, 'The datastore for domains, images and volumes')
            [CompletionResult]::new('--resource-pool', '--resource-pool', [CompletionResultType]::ParameterName, 'The resource pool or cluster to place domains in')
            [CompletionResult]::new('--folder', '--folder', [CompletionResultType]::ParameterName, 'The VM folder for domains')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'The switch networks are made on: a distributed switch or a port group on one (a standard switch on a standalone host)')
            [CompletionResult]::new('--thumbprint', '--thumbprint', [CompletionResultType]::ParameterName, 'Trust the server certificate with this SHA-256 (or SHA-1) thumbprint')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The state directory of a local target')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the server certificate (unsafe; prefer --thumbprint)')
            [CompletionResult]::new('--use', '--use', [CompletionResultType]::ParameterName, 'Also make it the current target')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;ls' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;list' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;show' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;use' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;rm' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;remove' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;target;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a target')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List targets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a target''s settings (default: the current one)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a target the default for later commands')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a target (and its stored password)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;target;help;add' {
            break
        }
        'vicport;target;help;ls' {
            break
        }
        'vicport;target;help;show' {
            break
        }
        'vicport;target;help;use' {
            break
        }
        'vicport;target;help;rm' {
            break
        }
        'vicport;target;help;help' {
            break
        }
        'vicport;login' {
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The user (also saved as the target''s user)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;logout' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the target''s platform, version and placement')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (vicport.1 and one per subcommand) into DIR')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Build the boot image (kernel, modules, tether) that domains boot')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache''s leftovers')
            [CompletionResult]::new('monitor', 'monitor', [CompletionResultType]::ParameterValue, 'Run a domain''s monitor (started by `domain start`; not for direct use)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Run a vSphere domain''s link relay (started by the first command that needs the link; not for direct use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;system;info' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;completions' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;man' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;bootstrap' {
            [CompletionResult]::new('--tether', '--tether', [CompletionResultType]::ParameterName, 'The statically linked tether (default: VICPORT_TETHER, else next to vicport)')
            [CompletionResult]::new('--kernel', '--kernel', [CompletionResultType]::ParameterName, 'The guest kernel: Debian''s cloud kernel, or a microVM kernel compiled here from Debian''s linux-source-6.1 (local domains only; minutes to build once, then cached)')
            [CompletionResult]::new('--kernel-deb', '--kernel-deb', [CompletionResultType]::ParameterName, 'Use this package instead of apt''s: linux-image-cloud-amd64 (cloud), linux-source-6.1 (microvm)')
            [CompletionResult]::new('--busybox-deb', '--busybox-deb', [CompletionResultType]::ParameterName, 'Use this busybox-static package instead of apt''s')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--no-iso', '--no-iso', [CompletionResultType]::ParameterName, 'Do not build the vSphere boot ISO')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;prune' {
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only objects with this label: label=KEY or label=KEY=VALUE; repeatable')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Every image no domain uses, not only dangling ones')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every image no domain uses, not only dangling ones')
            [CompletionResult]::new('--volumes', '--volumes', [CompletionResultType]::ParameterName, 'Volumes no domain uses too, with their data')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;monitor' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;relay' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;system;help' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the target''s platform, version and placement')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (vicport.1 and one per subcommand) into DIR')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Build the boot image (kernel, modules, tether) that domains boot')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache''s leftovers')
            [CompletionResult]::new('monitor', 'monitor', [CompletionResultType]::ParameterValue, 'Run a domain''s monitor (started by `domain start`; not for direct use)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Run a vSphere domain''s link relay (started by the first command that needs the link; not for direct use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;system;help;info' {
            break
        }
        'vicport;system;help;completions' {
            break
        }
        'vicport;system;help;man' {
            break
        }
        'vicport;system;help;bootstrap' {
            break
        }
        'vicport;system;help;prune' {
            break
        }
        'vicport;system;help;monitor' {
            break
        }
        'vicport;system;help;relay' {
            break
        }
        'vicport;system;help;help' {
            break
        }
        'vicport;oci' {
            [CompletionResult]::new('--root', '--root', [CompletionResultType]::ParameterName, 'The directory of container records [default: /run/vicport-oci as root, else $XDG_RUNTIME_DIR/vicport-oci (rootless podman)]')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'Where errors are logged, besides stderr')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'The log''s format: one JSON object per error with json')
            [CompletionResult]::new('--cgroup-manager', '--cgroup-manager', [CompletionResultType]::ParameterName, 'Accepted for compatibility: a containerVM''s cgroups are the guest''s')
            [CompletionResult]::new('--rootless', '--rootless', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--systemd-cgroup', '--systemd-cgroup', [CompletionResultType]::ParameterName, 'Accepted for compatibility: a containerVM''s cgroups are the guest''s')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a container from a bundle: boot its VM, leave its process waiting')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a created container''s process')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Create and start a container; without --detach, stay with it: its stdio is this command''s, and its exit code this command''s, and it is deleted when it ends (unless --keep)')
            [CompletionResult]::new('spec', 'spec', [CompletionResultType]::ParameterValue, 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run')
            [CompletionResult]::new('state', 'state', [CompletionResultType]::ParameterValue, 'Print a container''s state as JSON')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to a container''s process')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a stopped container (or any, with --force)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the containers')
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Print the runtime''s features as JSON')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a process in a running container')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a running container (its VM stops running)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused container')
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List a container''s processes (its shims: the guest''s are its own)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a container''s resources while it runs: its memory limit (the VM''s balloon, up to what it booted with)')
            [CompletionResult]::new('checkpoint', 'checkpoint', [CompletionResultType]::ParameterValue, 'Save a running container whole (its VM''s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does')
            [CompletionResult]::new('shim', 'shim', [CompletionResultType]::ParameterValue, 'The per-container shim (started by create; not for users)')
            [CompletionResult]::new('exec-shim', 'exec-shim', [CompletionResultType]::ParameterValue, 'The per-exec shim (started by exec; not for users)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;oci;create' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'The bundle directory (holding config.json)')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'The bundle directory (holding config.json)')
            [CompletionResult]::new('--pid-file', '--pid-file', [CompletionResultType]::ParameterName, 'Write the container''s pid (its shim''s) here, last')
            [CompletionResult]::new('--console-socket', '--console-socket', [CompletionResultType]::ParameterName, 'With a terminal: send the pseudo-terminal''s master over this socket')
            [CompletionResult]::new('--preserve-fds', '--preserve-fds', [CompletionResultType]::ParameterName, 'Pass N more descriptors to the process (refused above 0: a VM''s process cannot take the host''s descriptors)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--no-pivot', '--no-pivot', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect on a VM)')
            [CompletionResult]::new('--no-new-keyring', '--no-new-keyring', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect on a VM)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;start' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;run' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'The bundle directory (holding config.json)')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'The bundle directory (holding config.json)')
            [CompletionResult]::new('--pid-file', '--pid-file', [CompletionResultType]::ParameterName, 'Write the container''s pid (its shim''s) here, last')
            [CompletionResult]::new('--console-socket', '--console-socket', [CompletionResultType]::ParameterName, 'With a terminal: send the pseudo-terminal''s master over this socket')
            [CompletionResult]::new('--preserve-fds', '--preserve-fds', [CompletionResultType]::ParameterName, 'Pass N more descriptors to the process (refused above 0: a VM''s process cannot take the host''s descriptors)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Do not delete the container when its process ends')
            [CompletionResult]::new('--no-subreaper', '--no-subreaper', [CompletionResultType]::ParameterName, 'Accepted for compatibility (this command waits on its own child)')
            [CompletionResult]::new('--no-pivot', '--no-pivot', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect on a VM)')
            [CompletionResult]::new('--no-new-keyring', '--no-new-keyring', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect on a VM)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;spec' {
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'The bundle directory to write config.json into')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'The bundle directory to write config.json into')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;state' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;kill' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-a', '-a', [CompletionResultType]::ParameterName, 'Signal every process of the container, not only its process (in the guest: the process, every exec''s and what they started)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Signal every process of the container, not only its process (in the guest: the process, every exec''s and what they started)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;delete' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Delete even a running container (its VM is powered off)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even a running container (its VM is powered off)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;list' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'table or json')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'table or json')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;features' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;exec' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The process to run, as the runtime spec''s process object (JSON)')
            [CompletionResult]::new('--process', '--process', [CompletionResultType]::ParameterName, 'The process to run, as the runtime spec''s process object (JSON)')
            [CompletionResult]::new('--console-socket', '--console-socket', [CompletionResultType]::ParameterName, 'With a terminal: send the pseudo-terminal''s master over this socket')
            [CompletionResult]::new('--pid-file', '--pid-file', [CompletionResultType]::ParameterName, 'Write the exec shim''s pid here, last')
            [CompletionResult]::new('--preserve-fds', '--preserve-fds', [CompletionResultType]::ParameterName, 'Pass N more descriptors to the process (refused above 0)')
            [CompletionResult]::new('--cwd', '--cwd', [CompletionResultType]::ParameterName, 'Without --process: the working directory')
            [CompletionResult]::new('-e', '-e', [CompletionResultType]::ParameterName, 'Without --process: an environment variable (KEY=VALUE); repeatable')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Without --process: an environment variable (KEY=VALUE); repeatable')
            [CompletionResult]::new('-u', '-u', [CompletionResultType]::ParameterName, 'Without --process: the user, UID[:GID]')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Without --process: the user, UID[:GID]')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Leave the process running and exit (its pid is an exec shim''s)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Leave the process running and exit (its pid is an exec shim''s)')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Run the process on a terminal (its master goes over --console-socket)')
            [CompletionResult]::new('--tty', '--tty', [CompletionResultType]::ParameterName, 'Run the process on a terminal (its master goes over --console-socket)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;pause' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;resume' {
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;ps' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'table or json (a list of pids)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'table or json (a list of pids)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;update' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'The new resources, as the runtime spec''s linux.resources object (JSON; - reads it from stdin)')
            [CompletionResult]::new('--resources', '--resources', [CompletionResultType]::ParameterName, 'The new resources, as the runtime spec''s linux.resources object (JSON; - reads it from stdin)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;checkpoint' {
            [CompletionResult]::new('--image-path', '--image-path', [CompletionResultType]::ParameterName, 'The checkpoint''s directory')
            [CompletionResult]::new('--work-path', '--work-path', [CompletionResultType]::ParameterName, 'Accepted for compatibility (a containerVM''s checkpoint writes no logs or statistics)')
            [CompletionResult]::new('--manage-cgroups-mode', '--manage-cgroups-mode', [CompletionResultType]::ParameterName, 'Accepted for compatibility: a containerVM''s cgroups are the guest''s')
            [CompletionResult]::new('--empty-ns', '--empty-ns', [CompletionResultType]::ParameterName, 'Accepted for compatibility (a VM''s namespaces are all the guest''s)')
            [CompletionResult]::new('--parent-path', '--parent-path', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is whole (no parent)')
            [CompletionResult]::new('--page-server', '--page-server', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is written here, not sent to a page server')
            [CompletionResult]::new('--status-fd', '--status-fd', [CompletionResultType]::ParameterName, 'Accepted for compatibility (nothing is reported on it)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--tcp-established', '--tcp-established', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its TCP connections')
            [CompletionResult]::new('--ext-unix-sk', '--ext-unix-sk', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its sockets')
            [CompletionResult]::new('--shell-job', '--shell-job', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its terminals')
            [CompletionResult]::new('--file-locks', '--file-locks', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its file locks')
            [CompletionResult]::new('--lazy-pages', '--lazy-pages', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is whole, never lazy')
            [CompletionResult]::new('--auto-dedup', '--auto-dedup', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is written whole, not deduplicated against a parent')
            [CompletionResult]::new('--leave-running', '--leave-running', [CompletionResultType]::ParameterName, 'Leave the container running after its checkpoint')
            [CompletionResult]::new('--pre-dump', '--pre-dump', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is whole (no pre-dumps)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;restore' {
            [CompletionResult]::new('--image-path', '--image-path', [CompletionResultType]::ParameterName, 'The checkpoint''s directory')
            [CompletionResult]::new('--work-path', '--work-path', [CompletionResultType]::ParameterName, 'Accepted for compatibility (a containerVM''s checkpoint writes no logs or statistics)')
            [CompletionResult]::new('--manage-cgroups-mode', '--manage-cgroups-mode', [CompletionResultType]::ParameterName, 'Accepted for compatibility: a containerVM''s cgroups are the guest''s')
            [CompletionResult]::new('--empty-ns', '--empty-ns', [CompletionResultType]::ParameterName, 'Accepted for compatibility (a VM''s namespaces are all the guest''s)')
            [CompletionResult]::new('--lsm-profile', '--lsm-profile', [CompletionResultType]::ParameterName, 'Accepted for compatibility (the guest has no LSM of the host''s)')
            [CompletionResult]::new('--lsm-mount-context', '--lsm-mount-context', [CompletionResultType]::ParameterName, 'Accepted for compatibility (the guest has no LSM of the host''s)')
            [CompletionResult]::new('-b', '-b', [CompletionResultType]::ParameterName, 'The bundle directory (holding config.json)')
            [CompletionResult]::new('--bundle', '--bundle', [CompletionResultType]::ParameterName, 'The bundle directory (holding config.json)')
            [CompletionResult]::new('--pid-file', '--pid-file', [CompletionResultType]::ParameterName, 'Write the container''s pid (its shim''s) here, last')
            [CompletionResult]::new('--console-socket', '--console-socket', [CompletionResultType]::ParameterName, 'With a terminal: send the pseudo-terminal''s master over this socket')
            [CompletionResult]::new('--preserve-fds', '--preserve-fds', [CompletionResultType]::ParameterName, 'Pass N more descriptors to the process (refused above 0: a VM''s process cannot take the host''s descriptors)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('--tcp-established', '--tcp-established', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its TCP connections')
            [CompletionResult]::new('--ext-unix-sk', '--ext-unix-sk', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its sockets')
            [CompletionResult]::new('--shell-job', '--shell-job', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its terminals')
            [CompletionResult]::new('--file-locks', '--file-locks', [CompletionResultType]::ParameterName, 'Accepted: a VM''s saved state holds its file locks')
            [CompletionResult]::new('--lazy-pages', '--lazy-pages', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is whole, never lazy')
            [CompletionResult]::new('--auto-dedup', '--auto-dedup', [CompletionResultType]::ParameterName, 'Refused: a containerVM''s checkpoint is written whole, not deduplicated against a parent')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Leave the container running and exit (its stdio stays what this command was given; a terminal needs --console-socket)')
            [CompletionResult]::new('--no-subreaper', '--no-subreaper', [CompletionResultType]::ParameterName, 'Accepted for compatibility (this command waits on its own child)')
            [CompletionResult]::new('--no-pivot', '--no-pivot', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect on a VM)')
            [CompletionResult]::new('--no-new-keyring', '--no-new-keyring', [CompletionResultType]::ParameterName, 'Accepted for compatibility (no effect on a VM)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;shim' {
            [CompletionResult]::new('--ready-fd', '--ready-fd', [CompletionResultType]::ParameterName, 'The descriptor to say "ready" (or why not) on')
            [CompletionResult]::new('--console-socket', '--console-socket', [CompletionResultType]::ParameterName, 'Send the pseudo-terminal''s master over this socket')
            [CompletionResult]::new('--restore', '--restore', [CompletionResultType]::ParameterName, 'Start the domain from the checkpoint in this directory, and attach to its process at once (it runs already)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;exec-shim' {
            [CompletionResult]::new('--ready-fd', '--ready-fd', [CompletionResultType]::ParameterName, 'The descriptor to say "ready" (or why not) on')
            [CompletionResult]::new('--console-socket', '--console-socket', [CompletionResultType]::ParameterName, 'Send the pseudo-terminal''s master over this socket')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'The request, as JSON (made by exec)')
            [CompletionResult]::new('-T', '-T ', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('--target', '--target', [CompletionResultType]::ParameterName, 'The target to use (default: the current target, else `local`)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'The local platform''s state directory')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up on a platform call after this long (e.g. 30s, 2m)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only IDs (or names), one per line')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Trace what vicport does to stderr')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Never color output (also: NO_COLOR set to anything)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to confirmations of destructive operations')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vicport;oci;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a container from a bundle: boot its VM, leave its process waiting')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a created container''s process')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Create and start a container; without --detach, stay with it: its stdio is this command''s, and its exit code this command''s, and it is deleted when it ends (unless --keep)')
            [CompletionResult]::new('spec', 'spec', [CompletionResultType]::ParameterValue, 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run')
            [CompletionResult]::new('state', 'state', [CompletionResultType]::ParameterValue, 'Print a container''s state as JSON')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to a container''s process')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a stopped container (or any, with --force)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the containers')
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Print the runtime''s features as JSON')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a process in a running container')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a running container (its VM stops running)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused container')
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List a container''s processes (its shims: the guest''s are its own)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a container''s resources while it runs: its memory limit (the VM''s balloon, up to what it booted with)')
            [CompletionResult]::new('checkpoint', 'checkpoint', [CompletionResultType]::ParameterValue, 'Save a running container whole (its VM''s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does')
            [CompletionResult]::new('shim', 'shim', [CompletionResultType]::ParameterValue, 'The per-container shim (started by create; not for users)')
            [CompletionResult]::new('exec-shim', 'exec-shim', [CompletionResultType]::ParameterValue, 'The per-exec shim (started by exec; not for users)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;oci;help;create' {
            break
        }
        'vicport;oci;help;start' {
            break
        }
        'vicport;oci;help;run' {
            break
        }
        'vicport;oci;help;spec' {
            break
        }
        'vicport;oci;help;state' {
            break
        }
        'vicport;oci;help;kill' {
            break
        }
        'vicport;oci;help;delete' {
            break
        }
        'vicport;oci;help;list' {
            break
        }
        'vicport;oci;help;features' {
            break
        }
        'vicport;oci;help;exec' {
            break
        }
        'vicport;oci;help;pause' {
            break
        }
        'vicport;oci;help;resume' {
            break
        }
        'vicport;oci;help;ps' {
            break
        }
        'vicport;oci;help;update' {
            break
        }
        'vicport;oci;help;checkpoint' {
            break
        }
        'vicport;oci;help;restore' {
            break
        }
        'vicport;oci;help;shim' {
            break
        }
        'vicport;oci;help;exec-shim' {
            break
        }
        'vicport;oci;help;help' {
            break
        }
        'vicport;help' {
            [CompletionResult]::new('domain', 'domain', [CompletionResultType]::ParameterValue, 'Manage isolation domains (containerVMs)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Create and start a domain, and attach to it unless detached')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command in a running domain')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a domain''s log (same as `domain logs`)')
            [CompletionResult]::new('events', 'events', [CompletionResultType]::ParameterValue, 'Print lifecycle events')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Manage images')
            [CompletionResult]::new('volume', 'volume', [CompletionResultType]::ParameterValue, 'Manage volumes')
            [CompletionResult]::new('network', 'network', [CompletionResultType]::ParameterValue, 'Manage networks')
            [CompletionResult]::new('registry', 'registry', [CompletionResultType]::ParameterValue, 'Log in to and out of image registries')
            [CompletionResult]::new('target', 'target', [CompletionResultType]::ParameterValue, 'Manage targets (platforms vicport talks to)')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Store a target''s password in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Remove a target''s password and end its session')
            [CompletionResult]::new('system', 'system', [CompletionResultType]::ParameterValue, 'Information, boot images, shell completions and man pages')
            [CompletionResult]::new('oci', 'oci', [CompletionResultType]::ParameterValue, 'The OCI runtime for container engines (also run as `vicport-runc`)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vicport;help;domain' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Define a domain from an image without starting it')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start domains; a suspended one resumes where it was')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop domains gracefully: the stop signal, a grace period, then power off (a suspended domain''s saved state is discarded)')
            [CompletionResult]::new('restart', 'restart', [CompletionResultType]::ParameterValue, 'Stop domains as `domain stop` does, then start them again')
            [CompletionResult]::new('suspend', 'suspend', [CompletionResultType]::ParameterValue, 'Suspend running domains: save their memory and devices, power off')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause running domains: their virtual CPUs stop, their memory stays')
            [CompletionResult]::new('unpause', 'unpause', [CompletionResultType]::ParameterValue, 'Let paused domains run again (a running one is left as it is)')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to domains'' primary processes, or with --all to all their processes (KILL powers them off)')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove domains')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every domain that is not running (created, stopped or broken)')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about domains')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List domains')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until domains stop; print their exit codes')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Print a domain''s log')
            [CompletionResult]::new('attach', 'attach', [CompletionResultType]::ParameterValue, 'Attach to a running domain''s primary process')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a domain')
            [CompletionResult]::new('label', 'label', [CompletionResultType]::ParameterValue, 'Add, change or remove a domain''s labels')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a domain''s memory or vCPUs')
            [CompletionResult]::new('stats', 'stats', [CompletionResultType]::ParameterValue, 'Show what domains use: CPU, memory, network, disks, processes')
            [CompletionResult]::new('top', 'top', [CompletionResultType]::ParameterValue, 'Show the processes running in a domain')
            [CompletionResult]::new('port', 'port', [CompletionResultType]::ParameterValue, 'Show a domain''s published ports: its port, and where the host publishes it')
            [CompletionResult]::new('cp', 'cp', [CompletionResultType]::ParameterValue, 'Copy files between the host and a domain')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write a domain''s root filesystem as a tar stream')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'List what a domain changed in its root filesystem since it was made from its image')
            [CompletionResult]::new('commit', 'commit', [CompletionResultType]::ParameterValue, 'Make a new image of a domain''s root filesystem')
            break
        }
        'vicport;help;domain;create' {
            break
        }
        'vicport;help;domain;start' {
            break
        }
        'vicport;help;domain;stop' {
            break
        }
        'vicport;help;domain;restart' {
            break
        }
        'vicport;help;domain;suspend' {
            break
        }
        'vicport;help;domain;pause' {
            break
        }
        'vicport;help;domain;unpause' {
            break
        }
        'vicport;help;domain;kill' {
            break
        }
        'vicport;help;domain;rm' {
            break
        }
        'vicport;help;domain;prune' {
            break
        }
        'vicport;help;domain;inspect' {
            break
        }
        'vicport;help;domain;ls' {
            break
        }
        'vicport;help;domain;wait' {
            break
        }
        'vicport;help;domain;logs' {
            break
        }
        'vicport;help;domain;attach' {
            break
        }
        'vicport;help;domain;rename' {
            break
        }
        'vicport;help;domain;label' {
            break
        }
        'vicport;help;domain;update' {
            break
        }
        'vicport;help;domain;stats' {
            break
        }
        'vicport;help;domain;top' {
            break
        }
        'vicport;help;domain;port' {
            break
        }
        'vicport;help;domain;cp' {
            break
        }
        'vicport;help;domain;export' {
            break
        }
        'vicport;help;domain;diff' {
            break
        }
        'vicport;help;domain;commit' {
            break
        }
        'vicport;help;run' {
            break
        }
        'vicport;help;exec' {
            break
        }
        'vicport;help;logs' {
            break
        }
        'vicport;help;events' {
            break
        }
        'vicport;help;image' {
            [CompletionResult]::new('import', 'import', [CompletionResultType]::ParameterValue, 'Import an OCI image layout (directory or tar), a docker-save archive or a rootfs tar')
            [CompletionResult]::new('pull', 'pull', [CompletionResultType]::ParameterValue, 'Pull an image from a registry (Docker Registry API v2 / OCI distribution)')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Push an image from the store to a registry, under an OCI manifest')
            [CompletionResult]::new('save', 'save', [CompletionResultType]::ParameterValue, 'Save images to an OCI image layout: a tar (a file, or standard output when it is not a terminal) or a directory')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List images')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about images')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Show how an image was made: its steps, newest first, with the layer each made')
            [CompletionResult]::new('tag', 'tag', [CompletionResultType]::ParameterValue, 'Give an image another reference (NAME[:TAG]); a reference that named another image moves to this one')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove images')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove the images no domain uses, and what the blob cache keeps for them')
            break
        }
        'vicport;help;image;import' {
            break
        }
        'vicport;help;image;pull' {
            break
        }
        'vicport;help;image;push' {
            break
        }
        'vicport;help;image;save' {
            break
        }
        'vicport;help;image;ls' {
            break
        }
        'vicport;help;image;inspect' {
            break
        }
        'vicport;help;image;history' {
            break
        }
        'vicport;help;image;tag' {
            break
        }
        'vicport;help;image;rm' {
            break
        }
        'vicport;help;image;prune' {
            break
        }
        'vicport;help;volume' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a volume')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List volumes with their store, size and users')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about volumes')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove volumes')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every volume no domain uses, with its data')
            break
        }
        'vicport;help;volume;create' {
            break
        }
        'vicport;help;volume;ls' {
            break
        }
        'vicport;help;volume;inspect' {
            break
        }
        'vicport;help;volume;rm' {
            break
        }
        'vicport;help;volume;prune' {
            break
        }
        'vicport;help;network' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a network')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List networks')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show everything about networks')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove networks')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove every network no domain is connected to')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Connect a domain to a network, stopped or running')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Disconnect a domain from a network, stopped or running')
            break
        }
        'vicport;help;network;create' {
            break
        }
        'vicport;help;network;ls' {
            break
        }
        'vicport;help;network;inspect' {
            break
        }
        'vicport;help;network;rm' {
            break
        }
        'vicport;help;network;prune' {
            break
        }
        'vicport;help;network;connect' {
            break
        }
        'vicport;help;network;disconnect' {
            break
        }
        'vicport;help;registry' {
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Check a login with a registry and keep it in the OS keyring')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Forget vicport''s login for a registry')
            break
        }
        'vicport;help;registry;login' {
            break
        }
        'vicport;help;registry;logout' {
            break
        }
        'vicport;help;target' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a target')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List targets')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a target''s settings (default: the current one)')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make a target the default for later commands')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove a target (and its stored password)')
            break
        }
        'vicport;help;target;add' {
            break
        }
        'vicport;help;target;ls' {
            break
        }
        'vicport;help;target;show' {
            break
        }
        'vicport;help;target;use' {
            break
        }
        'vicport;help;target;rm' {
            break
        }
        'vicport;help;login' {
            break
        }
        'vicport;help;logout' {
            break
        }
        'vicport;help;system' {
            [CompletionResult]::new('info', 'info', [CompletionResultType]::ParameterValue, 'Show the target''s platform, version and placement')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print the shell completion script for SHELL')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write the man pages (vicport.1 and one per subcommand) into DIR')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Build the boot image (kernel, modules, tether) that domains boot')
            [CompletionResult]::new('prune', 'prune', [CompletionResultType]::ParameterValue, 'Remove what nothing uses: domains that are not running, networks no domain joins, dangling images (--all: every unused image), volumes too with --volumes; then the blob cache''s leftovers')
            [CompletionResult]::new('monitor', 'monitor', [CompletionResultType]::ParameterValue, 'Run a domain''s monitor (started by `domain start`; not for direct use)')
            [CompletionResult]::new('relay', 'relay', [CompletionResultType]::ParameterValue, 'Run a vSphere domain''s link relay (started by the first command that needs the link; not for direct use)')
            break
        }
        'vicport;help;system;info' {
            break
        }
        'vicport;help;system;completions' {
            break
        }
        'vicport;help;system;man' {
            break
        }
        'vicport;help;system;bootstrap' {
            break
        }
        'vicport;help;system;prune' {
            break
        }
        'vicport;help;system;monitor' {
            break
        }
        'vicport;help;system;relay' {
            break
        }
        'vicport;help;oci' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a container from a bundle: boot its VM, leave its process waiting')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a created container''s process')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Create and start a container; without --detach, stay with it: its stdio is this command''s, and its exit code this command''s, and it is deleted when it ends (unless --keep)')
            [CompletionResult]::new('spec', 'spec', [CompletionResultType]::ParameterValue, 'Write a default config.json into a bundle (`sh` on a terminal, in a read-only root at rootfs/), to edit and run')
            [CompletionResult]::new('state', 'state', [CompletionResultType]::ParameterValue, 'Print a container''s state as JSON')
            [CompletionResult]::new('kill', 'kill', [CompletionResultType]::ParameterValue, 'Send a signal to a container''s process')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a stopped container (or any, with --force)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the containers')
            [CompletionResult]::new('features', 'features', [CompletionResultType]::ParameterValue, 'Print the runtime''s features as JSON')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a process in a running container')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause a running container (its VM stops running)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused container')
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List a container''s processes (its shims: the guest''s are its own)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a container''s resources while it runs: its memory limit (the VM''s balloon, up to what it booted with)')
            [CompletionResult]::new('checkpoint', 'checkpoint', [CompletionResultType]::ParameterValue, 'Save a running container whole (its VM''s memory and devices, so every process with what it holds) into a directory; it then stops, unless --leave-running')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Create a container from a bundle and a checkpoint: it runs on where the checkpoint left it. Without --detach, stay with it as run does')
            [CompletionResult]::new('shim', 'shim', [CompletionResultType]::ParameterValue, 'The per-container shim (started by create; not for users)')
            [CompletionResult]::new('exec-shim', 'exec-shim', [CompletionResultType]::ParameterValue, 'The per-exec shim (started by exec; not for users)')
            break
        }
        'vicport;help;oci;create' {
            break
        }
        'vicport;help;oci;start' {
            break
        }
        'vicport;help;oci;run' {
            break
        }
        'vicport;help;oci;spec' {
            break
        }
        'vicport;help;oci;state' {
            break
        }
        'vicport;help;oci;kill' {
            break
        }
        'vicport;help;oci;delete' {
            break
        }
        'vicport;help;oci;list' {
            break
        }
        'vicport;help;oci;features' {
            break
        }
        'vicport;help;oci;exec' {
            break
        }
        'vicport;help;oci;pause' {
            break
        }
        'vicport;help;oci;resume' {
            break
        }
        'vicport;help;oci;ps' {
            break
        }
        'vicport;help;oci;update' {
            break
        }
        'vicport;help;oci;checkpoint' {
            break
        }
        'vicport;help;oci;restore' {
            break
        }
        'vicport;help;oci;shim' {
            break
        }
        'vicport;help;oci;exec-shim' {
            break
        }
        'vicport;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
