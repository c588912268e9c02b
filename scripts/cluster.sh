#!/usr/bin/env bash
# Several OpenITA app servers behind a local reverse proxy, on one machine, sharing PostgreSQL
# and Redis: N gunicorn instances on 127.0.0.1 (ports PORT+1 … PORT+N), Debian's nginx on
# 127.0.0.1:PORT in front (round robin; it serves the static files itself) and one background
# worker (`openita worker`). Every file it writes (nginx.conf, pid files, logs, the shared secret
# key unless SECRET_KEY or SECRET_KEY_FILE is given) goes into the run folder, not /etc.
#
#   DATABASE_URL=postgres://… scripts/cluster.sh start [--servers N] [--workers W] [--port P]
#                                                      [--dir DIR] [--demo] [--no-worker]
#   scripts/cluster.sh status [--dir DIR]     # each process and whether it answers
#   scripts/cluster.sh stop [--dir DIR]       # stops what `start` started in DIR
#
# Environment: DATABASE_URL (PostgreSQL, required), OPENITA_REDIS_URL (default
# redis://127.0.0.1:6379/0), OPENITA_CLUSTER_DIR (default .openita/cluster), OPENITA_CLUSTER_PORT
# (default 8080), OPENITA_DATA_DIR (default DIR/data: collected static files), SECRET_KEY or
# SECRET_KEY_FILE, DJANGO_SETTINGS_MODULE (default openita.web.settings_production, without the
# HTTPS redirect: this proxy speaks plain HTTP on 127.0.0.1), OPENITA_PYTHON (default
# .venv/bin/python). --demo loads the demo data first (the logins are printed).
# The layout for real servers (nginx on its own machine, TLS): docs/deploy.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

die() { echo "cluster: $*" >&2; exit 1; }

action="${1:-}"
[ -n "$action" ] && shift || true
servers=2
workers=2
port="${OPENITA_CLUSTER_PORT:-8080}"
dir="${OPENITA_CLUSTER_DIR:-.openita/cluster}"
demo=0
with_worker=1
while [ $# -gt 0 ]; do
  case "$1" in
    --servers) servers="${2:?}"; shift 2 ;;
    --workers) workers="${2:?}"; shift 2 ;;
    --port) port="${2:?}"; shift 2 ;;
    --dir) dir="${2:?}"; shift 2 ;;
    --demo) demo=1; shift ;;
    --no-worker) with_worker=0; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
for value in "$servers" "$workers" "$port"; do
  [[ "$value" =~ ^[0-9]+$ ]] || die "--servers, --workers and --port take whole numbers, not '$value'"
done
[ "$servers" -ge 1 ] && [ "$servers" -le 32 ] || die "--servers must be between 1 and 32"
[ "$workers" -ge 1 ] && [ "$workers" -le 64 ] || die "--workers must be between 1 and 64"
[ "$port" -ge 1024 ] && [ $((port + servers)) -le 65535 ] || die "--port must be 1024-$((65535 - servers))"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
PY="${OPENITA_PYTHON:-$ROOT/.venv/bin/python}"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# `http_status PORT PATH`: the HTTP status of GET http://127.0.0.1:PORT/PATH, 000 if none.
http_status() {
  curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$1$2" 2>/dev/null || true
}

# stop_pids NAME=FILE…: SIGTERM to all at once, wait up to 30 s for all, then SIGKILL.
stop_pids() {
  local entry name file pid pending=()
  for entry in "$@"; do
    name=${entry%%=*} file=${entry#*=}
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      pending+=("$name=$pid")
    fi
    rm -f "$file"
  done
  for _ in $(seq 1 300); do
    local left=()
    for entry in "${pending[@]}"; do
      kill -0 "${entry#*=}" 2>/dev/null && left+=("$entry")
    done
    pending=("${left[@]}")
    [ "${#pending[@]}" = 0 ] && break
    sleep 0.1
  done
  for entry in "${pending[@]}"; do
    echo "cluster: ${entry%%=*} (${entry#*=}) did not stop in 30 s: SIGKILL" >&2
    kill -KILL "${entry#*=}" 2>/dev/null || true
  done
}

cmd_stop() {
  local f apps=()
  # The proxy first (no new requests), then the app servers and the worker together.
  stop_pids "nginx=$dir/run/nginx.pid"
  for f in "$dir"/run/app-*.pid; do
    [ -e "$f" ] && apps+=("$(basename "$f" .pid)=$f")
  done
  stop_pids "${apps[@]}" "worker=$dir/run/worker.pid"
  [ -f "$dir/run/ports" ] && echo "cluster: stopped (was started in $dir)"
  rm -f "$dir/run/ports"
}

cmd_status() {
  [ -f "$dir/run/ports" ] || { echo "cluster: not started in $dir"; return 3; }
  local bad=0 name pidfile p code
  while read -r name pidfile p; do
    if alive "$pidfile"; then
      if [ "$p" = "-" ]; then
        echo "$name: running (pid $(cat "$pidfile"))"
      else
        code=$(http_status "$p" /accounts/login/)
        echo "$name: running (pid $(cat "$pidfile")), http://127.0.0.1:$p/ answers $code"
        [ "$code" = 200 ] || bad=1
      fi
    else
      echo "$name: NOT running"
      bad=1
    fi
  done < "$dir/run/ports"
  return "$bad"
}

cmd_start() {
  if [ -f "$dir/run/ports" ] && cmd_status >/dev/null 2>&1; then
    die "already running in $dir (scripts/cluster.sh stop --dir $dir first)"
  fi
  cmd_stop >/dev/null 2>&1 || true  # what a half-started cluster left
  [ -x "$PY" ] || die "no Python at $PY (run scripts/setup.sh, or set OPENITA_PYTHON)"
  local nginx
  nginx=$(command -v nginx || true)
  [ -n "$nginx" ] || [ ! -x /usr/sbin/nginx ] || nginx=/usr/sbin/nginx
  [ -n "$nginx" ] || die "nginx is missing: run scripts/setup.sh as root (installs Debian's nginx)"
  case "${DATABASE_URL:-}" in
    postgres://*|postgresql://*) ;;
    *) die "DATABASE_URL must name a PostgreSQL database (several servers share it), e.g." \
         "postgres://postgres@127.0.0.1:5432/openita" ;;
  esac
  local redis="${OPENITA_REDIS_URL:-redis://127.0.0.1:6379/0}"
  "$PY" -c 'import sys, redis; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()' \
    "$redis" 2>/dev/null || die "Redis does not answer at $redis (OPENITA_REDIS_URL)"
  local p
  for p in $(seq "$port" $((port + servers))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && die "port $p on 127.0.0.1 is in use"
  done

  mkdir -p "$dir/run" "$dir/logs" "$dir/nginx"
  export OPENITA_DATA_DIR="${OPENITA_DATA_DIR:-$dir/data}"
  mkdir -p "$OPENITA_DATA_DIR"
  if [ -z "${SECRET_KEY:-}" ] && [ -z "${SECRET_KEY_FILE:-}" ]; then
    # One key for every server: sessions, reset links and signed forms are checked with it.
    if [ ! -s "$dir/secret_key" ]; then
      (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$dir/secret_key")
    fi
    export SECRET_KEY_FILE="$dir/secret_key"
  fi
  export DATABASE_URL OPENITA_REDIS_URL="$redis"
  export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-openita.web.settings_production}"
  export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
  export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
  export OPENITA_BEHIND_PROXY=1 OPENITA_TRUSTED_PROXIES="${OPENITA_TRUSTED_PROXIES:-127.0.0.1}"
  export CONN_MAX_AGE="${CONN_MAX_AGE:-60}" PYTHAINLP_OFFLINE=1

  # Once, before any server: the schema, the static files (nginx serves them), the demo data.
  if [ "$demo" = 1 ]; then
    "$PY" -m openita.cli.main demo
  else
    # Side by side: one needs the database, the other the disk (compressing is the slow part).
    "$PY" -m openita.web.manage collectstatic --noinput -v 0 > "$dir/logs/collectstatic.log" 2>&1 &
    local collecting=$!
    "$PY" -m openita.web.manage migrate --noinput -v 0
    wait "$collecting" || die "collectstatic failed: $(tail -n 20 "$dir/logs/collectstatic.log")"
  fi
  local static
  static=$("$PY" -c 'import django; django.setup(); from django.conf import settings as s; print(s.STATIC_ROOT)')
  [ -f "$static/openita/site.css" ] || die "collectstatic left no $static/openita/site.css"

  : > "$dir/run/ports"
  local i upstreams=""
  for i in $(seq 1 "$servers"); do
    p=$((port + i))
    "$PY" -m gunicorn openita.web.wsgi --bind "127.0.0.1:$p" --workers "$workers" \
      --daemon --pid "$dir/run/app-$i.pid" --error-logfile "$dir/logs/app-$i.log" \
      --capture-output --forwarded-allow-ips 127.0.0.1 --graceful-timeout 10 \
      || { cmd_stop >/dev/null 2>&1; die "app server $i did not start (see $dir/logs/app-$i.log)"; }
    upstreams+="        server 127.0.0.1:$p;"$'\n'
    echo "app-$i $dir/run/app-$i.pid $p" >> "$dir/run/ports"
  done
  if [ "$with_worker" = 1 ]; then
    setsid "$PY" -m openita.cli.main worker >> "$dir/logs/worker.log" 2>&1 < /dev/null &
    echo $! > "$dir/run/worker.pid"
    echo "worker $dir/run/worker.pid -" >> "$dir/run/ports"
  fi

  # nginx: as root its workers drop to www-data, which must be able to read the static files.
  local user_line="" max_mb=$(( ${OPENITA_MAX_REQUEST_MB:-25} + 1 ))
  if [ "$(id -u)" = 0 ]; then
    local nginx_user=www-data
    id "$nginx_user" >/dev/null 2>&1 || nginx_user=nobody
    user_line="user $nginx_user;"
    chown "$nginx_user" "$dir/nginx"
    runuser -u "$nginx_user" -- test -r "$static/openita/site.css" \
      || die "nginx's user $nginx_user cannot read $static (make its folders world-readable)"
  fi
  cat > "$dir/nginx.conf" <<EOF
# Written by scripts/cluster.sh; rewritten at each start.
$user_line
worker_processes 1;
pid $dir/run/nginx.pid;
error_log $dir/logs/nginx-error.log warn;
events { worker_connections 512; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    server_tokens off;
    client_max_body_size ${max_mb}m;
    client_body_temp_path $dir/nginx/body;
    proxy_temp_path $dir/nginx/proxy;
    fastcgi_temp_path $dir/nginx/fastcgi;
    uwsgi_temp_path $dir/nginx/uwsgi;
    scgi_temp_path $dir/nginx/scgi;
    # Round robin over the app servers (nginx's default); a server that refuses the
    # connection is skipped for that request (only idempotent requests are retried).
    upstream openita_app {
$upstreams    }
    server {
        listen 127.0.0.1:$port;
        server_name _;
        location /static/ {
            alias $static/;
            gzip_static on;
            add_header X-Content-Type-Options nosniff;
            expires 1h;
        }
        location / {
            proxy_pass http://openita_app;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_redirect off;
            proxy_read_timeout 120s;
            # Which app server answered (for the cluster's test and benchmarks; local only).
            add_header X-OpenITA-Upstream \$upstream_addr always;
        }
    }
}
EOF
  echo "nginx $dir/run/nginx.pid $port" >> "$dir/run/ports"
  if ! "$nginx" -t -q -p "$dir/nginx" -e "$dir/logs/nginx-error.log" -c "$dir/nginx.conf" \
    || ! "$nginx" -p "$dir/nginx" -e "$dir/logs/nginx-error.log" -c "$dir/nginx.conf" \
      >> "$dir/logs/nginx-error.log" 2>&1 < /dev/null; then
    cmd_stop >/dev/null 2>&1
    die "nginx did not start: $(tail -n 5 "$dir/logs/nginx-error.log")"
  fi

  # Ready when every server and the proxy answer the login page (60 s at most).
  local name pidfile ready
  for _ in $(seq 1 300); do
    ready=1
    while read -r name pidfile p; do
      if [ ! -f "$pidfile" ]; then  # a gunicorn daemon writes it a moment after it forks
        ready=0
        continue
      fi
      alive "$pidfile" || { cmd_stop >/dev/null 2>&1; die "$name exited at start (logs in $dir/logs)"; }
      if [ "$p" != "-" ] && [ "$(http_status "$p" /accounts/login/)" != 200 ]; then
        ready=0
      fi
    done < "$dir/run/ports"
    [ "$ready" = 1 ] && break
    sleep 0.2
  done
  if [ "$ready" != 1 ]; then
    cmd_stop >/dev/null 2>&1
    die "not ready after 60 s (logs in $dir/logs)"
  fi
  echo "cluster: $servers app servers (127.0.0.1:$((port + 1))-$((port + servers)), $workers" \
    "workers each)$([ "$with_worker" = 1 ] && echo ", a background worker")"
  echo "cluster: open http://127.0.0.1:$port/ (nginx, round robin); stop: scripts/cluster.sh stop --dir $dir"
}

case "$action" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) die "usage: scripts/cluster.sh start|stop|status [--servers N] [--workers W] [--port P] [--dir DIR] [--demo] [--no-worker]" ;;
esac
