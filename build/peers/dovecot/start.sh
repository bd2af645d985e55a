#!/usr/bin/env bash
# Start a throw-away Dovecot IMAP server on loopback for tests, without systemd.
# Usage: start.sh DATA_DIR [IMAP_PORT=10143] [IMAPS_PORT=10993]
#   env FOREGROUND=1  -> exec dovecot -F (stays in the foreground; Ctrl-C / SIGTERM stops it)
#   env DOVECOT_SEPARATOR=.  -> hierarchy delimiter of the inbox namespace (default "/")
# Restarting on an existing DATA_DIR keeps users, certificate and mail (tests restart mid-run).
# Needs: apt-get install -y dovecot-imapd openssl   (Debian 12: dovecot 2.3.19.1)
# Users (passwd-file, re-read automatically when changed; add lines "name:{PLAIN}password"):
#   DATA_DIR/etc/users         alice:pass, bob:pass
#   DATA_DIR/etc/master-users  master:masterpass   -> LOGIN "alice*master" "masterpass" opens alice's mailbox
# Stop: stop.sh DATA_DIR   (or: kill "$(cat DATA_DIR/run/master.pid)")
set -eu
DATA=${1:?usage: start.sh DATA_DIR [IMAP_PORT] [IMAPS_PORT]}
IMAP_PORT=${2:-10143}
IMAPS_PORT=${3:-10993}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v dovecot >/dev/null || { echo "dovecot not installed: apt-get install -y dovecot-imapd" >&2; exit 1; }

mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
mkdir -p "$DATA/etc" "$DATA/run" "$DATA/state" "$DATA/log" "$DATA/mail"
# Dovecot refuses to run imap-login, and mail access with uid 0, as root, so as root everything runs as an
# unprivileged user (default: the "dovecot" user the package creates) and DATA is chowned to it.
# As a normal user everything simply runs as that user.
AS=()
if [ "$(id -u)" = 0 ]; then
  RUN_USER=${DOVECOT_RUN_USER:-dovecot}
  RUN_GROUP=$(id -gn "$RUN_USER")
  AS=(setpriv --reuid="$RUN_USER" --regid="$RUN_GROUP" --clear-groups --)
else
  RUN_USER=$(id -un)
  RUN_GROUP=$(id -gn)
fi

[ -f "$DATA/etc/users" ] || printf 'alice:{PLAIN}pass\nbob:{PLAIN}pass\n' > "$DATA/etc/users"
[ -f "$DATA/etc/master-users" ] || printf 'master:{PLAIN}masterpass\n' > "$DATA/etc/master-users"
if [ ! -f "$DATA/etc/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$DATA/etc/key.pem" -out "$DATA/etc/cert.pem" 2>/dev/null
fi
chmod 600 "$DATA/etc/key.pem"
[ "$(id -u)" = 0 ] && chown -R "$RUN_USER:$RUN_GROUP" "$DATA"

sed -e "s#@DATA@#$DATA#g" -e "s#@USER@#$RUN_USER#g" -e "s#@GROUP@#$RUN_GROUP#g" \
    -e "s#@IMAP_PORT@#$IMAP_PORT#g" -e "s#@IMAPS_PORT@#$IMAPS_PORT#g" \
    -e "s#@SEPARATOR@#${DOVECOT_SEPARATOR:-/}#g" \
    "$HERE/dovecot.conf.tmpl" > "$DATA/dovecot.conf"

if [ "$(id -u)" = 0 ] && ! "${AS[@]}" test -r "$DATA/dovecot.conf"; then
  echo "user $RUN_USER cannot reach $DATA (a parent directory is not world-traversable)." >&2
  echo "Pass a directory under a traversable path, e.g. DATA=\$(mktemp -d) itself, not a subdirectory of it." >&2
  exit 1
fi

# refuse to start twice on the same data dir
if [ -f "$DATA/run/master.pid" ] && kill -0 "$(cat "$DATA/run/master.pid")" 2>/dev/null; then
  echo "dovecot already running for $DATA (pid $(cat "$DATA/run/master.pid"))" >&2; exit 1
fi

if [ "${FOREGROUND:-0}" = 1 ]; then
  exec "${AS[@]}" dovecot -F -c "$DATA/dovecot.conf"
fi
# stdio away from the caller: a daemon holding the caller's pipe open makes a test harness wait forever
if ! "${AS[@]}" dovecot -c "$DATA/dovecot.conf" </dev/null >"$DATA/log/start.log" 2>&1; then
  echo "dovecot failed to start:" >&2; cat "$DATA/log/start.log" >&2; exit 1
fi
# wait until the plain port accepts connections (max ~10 s)
i=0
while [ $i -lt 100 ]; do
  if (exec 3<>/dev/tcp/127.0.0.1/"$IMAP_PORT") 2>/dev/null; then
    echo "dovecot up: imap 127.0.0.1:$IMAP_PORT imaps 127.0.0.1:$IMAPS_PORT pid $(cat "$DATA/run/master.pid") data $DATA"
    exit 0
  fi
  sleep 0.1; i=$((i+1))
done
echo "dovecot did not come up; log:" >&2; tail -20 "$DATA/log/dovecot.log" >&2; exit 1
