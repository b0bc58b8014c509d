#!/usr/bin/env bash
# Load benchmark of `regdrill serve` on loopback, side by side with nginx serving the same packument bytes.
#
#   scripts/bench-server.sh [SECONDS]      (default 10 seconds per measurement)
#
# Installs wrk and nginx from Debian's packages if missing, builds regdrill in release mode, starts the server on a
# free loopback port (2021 rules: a password login mints a publish token, no emailed code, no 2FA needed), publishes one package, then measures with wrk
# (2 threads, 32 connections): packument GETs from regdrill and from nginx (the same bytes, a static file), and
# publishes of distinct versions to regdrill. Prints requests per second and the ratio GET regdrill / GET nginx
# (target: at least 0.5). Everything runs on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx-light
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

swift build -c release --product regdrill >/dev/null
work=$(mktemp -d)
cleanup() { [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

.build/release/regdrill serve --port 0 --era 2021-06-01 --password-cost bulk --user bench:bench-password >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "registry  http" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'registry  http://[0-9.:]*' "$work/serve.log" | awk '{print $2}')
[ -n "$url" ] || { cat "$work/serve.log"; echo "server did not start"; exit 1; }

token=$(curl -s -X PUT "$url/-/user/org.couchdb.user:bench" -H 'content-type: application/json' \
    -d '{"_id":"org.couchdb.user:bench","name":"bench","password":"bench-password","type":"user","roles":[]}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# One tarball for every version: gzip, as the server requires (the registry checks integrity against the bytes, not
# the version inside them).
python3 - "$work" <<'PY'
import base64, gzip, hashlib, json, sys
work = sys.argv[1]
tarball = gzip.compress(b"benchmark tarball\n" * 20, mtime=0)
data = base64.b64encode(tarball).decode()
integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
shasum = hashlib.sha1(tarball).hexdigest()
def body(version):
    return json.dumps({"_id": "bench-pkg", "name": "bench-pkg", "dist-tags": {"latest": version},
        "versions": {version: {"name": "bench-pkg", "version": version, "_id": "bench-pkg@" + version,
            "dist": {"integrity": integrity, "shasum": shasum, "tarball": "http://x/bench-pkg/-/bench-pkg-%s.tgz" % version}}},
        "access": None, "_attachments": {"bench-pkg-%s.tgz" % version: {"content_type": "application/octet-stream", "data": data, "length": len(tarball)}}})
open(work + "/first.json", "w").write(body("0.0.1"))
template = body("VERSION")
lua = """
counter = 0
wrk.method = "PUT"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer TOKEN"
local template = [==[%s]==]
request = function()
  counter = counter + 1
  local version = "1." .. tostring(math.random(0, 1000000)) .. "." .. tostring(counter)
  local body = template:gsub("VERSION", version)
  return wrk.format(nil, nil, nil, body)
end
""" % template
open(work + "/publish.lua", "w").write(lua)
PY
sed -i "s/TOKEN/$token/" "$work/publish.lua"
curl -sf -X PUT "$url/bench-pkg" -H 'content-type: application/json' -H "authorization: Bearer $token" --data-binary @"$work/first.json" >/dev/null
# A packument of a realistic size: 30 versions.
for i in $(seq 2 30); do
    sed "s/0\.0\.1/0.0.$i/g" "$work/first.json" | curl -sf -X PUT "$url/bench-pkg" -H 'content-type: application/json' -H "authorization: Bearer $token" --data-binary @- >/dev/null
done

mkdir -p "$work/www"
curl -sf "$url/bench-pkg" -H 'accept: application/json' -o "$work/www/bench-pkg"
bytes=$(wc -c <"$work/www/bench-pkg")
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server { listen 127.0.0.1:$nginx_port; root $work/www; location / { try_files \$uri =404; } }
}
CONF
"$NGINX" -c "$work/nginx.conf" -p "$work"
sleep 0.5

rps() { awk '/Requests\/sec/ {print $2}'; }
echo "packument: $bytes bytes, 30 versions; wrk -t2 -c32 -d${seconds}s on 127.0.0.1; $(nproc) cores"
get_regdrill=$(wrk -t2 -c32 -d"${seconds}s" -H 'accept: application/json' "$url/bench-pkg" | rps)
get_nginx=$(wrk -t2 -c32 -d"${seconds}s" "http://127.0.0.1:$nginx_port/bench-pkg" | rps)
publish=$(wrk -t2 -c32 -d"${seconds}s" -s "$work/publish.lua" "$url/bench-pkg" | rps)
versions=$(curl -s "$url/bench-pkg" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["versions"]))')
printf 'GET packument   regdrill %10s req/s\n' "$get_regdrill"
printf 'GET packument   nginx    %10s req/s (static file, same bytes)\n' "$get_nginx"
printf 'ratio regdrill/nginx     %10s (target: at least 0.5)\n' "$(python3 -c "print(f'{$get_regdrill/$get_nginx:.2f}')")"
printf 'PUT publish     regdrill %10s req/s (distinct versions; %s versions in the packument afterwards)\n' "$publish" "$versions"
