#!/usr/bin/env bash
# Starts or stops the rig's OpenSSH server: the way to the rig's engine for ssh:// engines (issue 20).
#   sshd.sh start DIR PORT                 generate a host key and two user keys in DIR, start sshd on 127.0.0.1:PORT
#                                          (keys only, this user only), and write DIR/known_hosts naming its host key
#   sshd.sh stop DIR                       stop it
# DIR/client-key is allowed in; DIR/refused-key is a valid key the server does not know.
set -euo pipefail
command=${1:?start or stop}
dir=${2:?the sshd folder}

case "$command" in
start)
    port=${3:?the port}
    mkdir -p "$dir"
    chmod 700 "$dir"
    ssh-keygen -q -t ed25519 -N '' -C dockerdash-rig-host -f "$dir/host-key"
    ssh-keygen -q -t ed25519 -N '' -C dockerdash-rig-client -f "$dir/client-key"
    ssh-keygen -q -t ed25519 -N '' -C dockerdash-rig-refused -f "$dir/refused-key"
    cp "$dir/client-key.pub" "$dir/authorized_keys"
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host-key.pub")" >"$dir/known_hosts"
    cat >"$dir/sshd_config" <<EOF
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host-key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AllowUsers $(id -un)
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowTcpForwarding no
X11Forwarding no
PrintMotd no
MaxStartups 100
# Sessions get the rig folder as their home: each channel is a shell on the "host", and this machine's own login
# files (root's .bashrc, which bash reads for commands run by sshd) cost 0.45 s a channel that no test is about.
SetEnv HOME=$dir
EOF
    # sshd insists on its privilege separation folder; Debian's service would make it.
    mkdir -p /run/sshd
    "$(command -v sshd || echo /usr/sbin/sshd)" -f "$dir/sshd_config" -E "$dir/sshd.log"
    exec "$(dirname "$0")/await-ready.sh" "sshd on 127.0.0.1:$port" 20 "$dir/sshd.log" -- sh -c "ss -Htln 'sport = :$port' | grep -q ."
    ;;
stop)
    if [ -f "$dir/sshd.pid" ]; then
        pid=$(cat "$dir/sshd.pid")
        # Its connections first (each is a child of the listener), then the listener.
        pkill -TERM -P "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    fi
    ;;
esac
