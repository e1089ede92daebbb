#!/usr/bin/env bash
# Cached hits, then misses, through the runnable edge (proxy mode, in-memory store) against Varnish
# (Debian's package, builtin VCL, -s malloc,256m) and nginx (Debian's package, proxy_cache on a
# cache directory, one worker per core), all on loopback in front of the same origin (nginx
# serving files of each size, cacheable for an hour), with wrk.
# For each object size: a warm-up of WARMUP_SECONDS per side, then ROUNDS rounds of ROUND_SECONDS s
# each, alternating edge, Varnish and nginx; prints each round and the medians as a Markdown table,
# with the edge's ratio to each (the median of the rounds' ratios). Hits ask for one URL per size;
# misses (MISS_SIZES) ask for a new URL each time (a query that never repeats), so each request is
# a fill: the origin's answer stored while it streams, and the stores evicting once full.
#
#   mvn -B -DskipTests install          # builds war-sample/target/edgecache-sample.jar
#   bash bench/proxy-vs-varnish.sh      # SIZES="4096 65536 1048576" MISS_SIZES="4096 65536" ROUNDS=5 ROUND_SECONDS=5 WARMUP_SECONDS=30 CONNECTIONS=64 EDGE_JAVA=java
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"4096 65536 1048576"}
MISS_SIZES=${MISS_SIZES-"4096 65536"}
ROUNDS=${ROUNDS:-5}
SECONDS_PER_ROUND=${ROUND_SECONDS:-5}
# The JVM compiles its hot paths while wrk and Varnish share the same cores: after 10 s of warm-up
# the edge was still getting faster from round to round, so each side gets 30 s.
WARMUP_SECONDS=${WARMUP_SECONDS:-30}
CONNECTIONS=${CONNECTIONS:-64}
EDGE_JVM=${EDGE_JVM:-"-Xmx512m"}
# the JDK that runs the edge: EDGE_JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java for Java 25
EDGE_JAVA=${EDGE_JAVA:-java}
JAR=${JAR:-war-sample/target/edgecache-sample.jar}
ORIGIN_PORT=${ORIGIN_PORT:-18900}
EDGE_PORT=${EDGE_PORT:-18901}
VARNISH_PORT=${VARNISH_PORT:-18902}
NGINX_PORT=${NGINX_PORT:-18903}

need() {
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$1" ]; then
    echo "installing $2 (Debian package)" >&2
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "$2" >/dev/null;
    else sudo apt-get update -qq && sudo apt-get install -y -qq "$2" >/dev/null; fi
  fi
}
need wrk wrk
need varnishd varnish
need nginx nginx
[ -f "$JAR" ] || { echo "$JAR is missing: run mvn -B -DskipTests install first" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

wait_for() { # port
  for _ in $(seq 1 300); do
    if (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1; logs in $work" >&2; exit 1
}

# the origin: nginx serving /obj/<bytes>/<anything> from a file of that many bytes
mkdir -p "$work/www/obj" "$work/origin-logs"
for size in $SIZES $MISS_SIZES; do
  [ -f "$work/www/obj/$size" ] || head -c "$size" /dev/urandom >"$work/www/obj/$size"
done
user_line=""; [ "$(id -u)" = 0 ] && user_line="user root;"
cat >"$work/origin.conf" <<CONF
$user_line
worker_processes 1;
pid $work/origin.pid;
error_log $work/origin-logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$ORIGIN_PORT;
    root $work/www;
    default_type application/octet-stream;
    location ~ ^/obj/([0-9]+)/ {
      add_header Cache-Control "public, max-age=3600";
      try_files /obj/\$1 =404;
    }
  }
}
CONF
/usr/sbin/nginx -p "$work" -c "$work/origin.conf" -g "daemon off;" >"$work/origin.log" 2>&1 & pids+=($!)
# every request a URL never asked before: the thread's number, the run's start and a counter
cat >"$work/unique.lua" <<'LUA'
local counter, threads = 0, 0
setup = function(thread) threads = threads + 1; thread:set("tid", threads) end
init = function() run = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000)) end
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?u=" .. tostring(tid) .. "-" .. run .. "-" .. counter)
end
LUA
# shellcheck disable=SC2086
"$EDGE_JAVA" $EDGE_JVM -jar "$JAR" --port "$EDGE_PORT" --bind 127.0.0.1 --origin "http://127.0.0.1:$ORIGIN_PORT" \
  --max-object-mb 64 >"$work/edge.log" 2>&1 & pids+=($!)
/usr/sbin/varnishd -F -n "$work/varnish" -a "127.0.0.1:$VARNISH_PORT" -b "127.0.0.1:$ORIGIN_PORT" \
  -s malloc,256m >"$work/varnish.log" 2>&1 & pids+=($!)
mkdir -p "$work/nginx-cache" "$work/nginx-logs"
# nginx's workers run as "nobody" unless told otherwise; as root they must be root to write the
# cache directory made here
cat >"$work/nginx.conf" <<CONF
$user_line
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  proxy_cache_path $work/nginx-cache levels=1:2 keys_zone=edge:64m max_size=1g inactive=1h use_temp_path=off;
  upstream origin { server 127.0.0.1:$ORIGIN_PORT; keepalive 32; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache edge;
      proxy_cache_lock on;
    }
  }
}
CONF
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" -g "daemon off;" >"$work/nginx.log" 2>&1 & pids+=($!)
wait_for "$ORIGIN_PORT"; wait_for "$EDGE_PORT"; wait_for "$VARNISH_PORT"; wait_for "$NGINX_PORT"

rate() { # url seconds [wrk options] -> requests/s; fails on any error or non-2xx answer
  local out url=$1 secs=$2
  shift 2
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$secs"s --latency "$@" "$url")
  if grep -qE "Socket errors|Non-2xx" <<<"$out"; then echo "wrk saw errors for $1:" >&2; echo "$out" >&2; exit 1; fi
  awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out"
}

# CPU time (clock ticks, user and system) of process $1 and its descendants: a side's server
# (the edge's JVM, Varnish's manager and child, nginx's master and workers)
ticks() {
  local sum=0 t p
  for p in $1 $(pgrep -P "$1"); do
    [ "$p" = "$1" ] || { t=$(ticks "$p"); sum=$((sum + t)); continue; }
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0); sum=$((sum + t))
  done
  echo "$sum"
}
HZ=$(getconf CLK_TCK)
# requests per second of the server's CPU: "$rate $ticks_before $ticks_after $seconds"
per_core() { awk -v r="$1" -v a="$2" -v b="$3" -v s="$4" -v hz="$HZ" 'BEGIN {c = (b - a) / hz / s; printf "%.0f", (c > 0 ? r / c : 0)}'; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

cores=$(nproc)
edge_pid=${pids[1]}; varnish_pid=${pids[2]}; nginx_pid=${pids[3]}

# One table row: "hit" or "miss" for objects of $2 bytes
compare() {
  local mode=$1 size=$2 path="/obj/$2/x" opts=() side f r a b e v n qv qn pe pv pn
  [ "$mode" = miss ] && opts=(-s "$work/unique.lua")
  for side in "$EDGE_PORT" "$VARNISH_PORT" "$NGINX_PORT"; do
    # fill, check the body, then warm up
    curl -sf -o "$work/body" "http://127.0.0.1:$side$path"
    [ "$(stat -c %s "$work/body")" = "$size" ] || { echo "wrong body size from port $side" >&2; exit 1; }
    rate "http://127.0.0.1:$side$path" "$WARMUP_SECONDS" "${opts[@]}" >/dev/null
  done
  for f in edge varnish nginx rv rn ce cv cn; do : >"$work/$f.$mode.$size"; done
  for r in $(seq 1 "$ROUNDS"); do
    a=$(ticks "$edge_pid"); e=$(rate "http://127.0.0.1:$EDGE_PORT$path" "$SECONDS_PER_ROUND" "${opts[@]}"); b=$(ticks "$edge_pid")
    per_core "$e" "$a" "$b" "$SECONDS_PER_ROUND" >>"$work/ce.$mode.$size"; echo >>"$work/ce.$mode.$size"
    a=$(ticks "$varnish_pid"); v=$(rate "http://127.0.0.1:$VARNISH_PORT$path" "$SECONDS_PER_ROUND" "${opts[@]}"); b=$(ticks "$varnish_pid")
    per_core "$v" "$a" "$b" "$SECONDS_PER_ROUND" >>"$work/cv.$mode.$size"; echo >>"$work/cv.$mode.$size"
    a=$(ticks "$nginx_pid"); n=$(rate "http://127.0.0.1:$NGINX_PORT$path" "$SECONDS_PER_ROUND" "${opts[@]}"); b=$(ticks "$nginx_pid")
    per_core "$n" "$a" "$b" "$SECONDS_PER_ROUND" >>"$work/cn.$mode.$size"; echo >>"$work/cn.$mode.$size"
    echo "$e" >>"$work/edge.$mode.$size"; echo "$v" >>"$work/varnish.$mode.$size"; echo "$n" >>"$work/nginx.$mode.$size"
    awk -v e="$e" -v v="$v" 'BEGIN {printf "%.3f\n", e / v}' >>"$work/rv.$mode.$size"
    awk -v e="$e" -v n="$n" 'BEGIN {printf "%.3f\n", e / n}' >>"$work/rn.$mode.$size"
    echo "  $mode $size B round $r: edge $e, Varnish $v, nginx $n" >&2
  done
  e=$(median <"$work/edge.$mode.$size"); v=$(median <"$work/varnish.$mode.$size"); n=$(median <"$work/nginx.$mode.$size")
  qv=$(median <"$work/rv.$mode.$size"); qn=$(median <"$work/rn.$mode.$size")
  pe=$(median <"$work/ce.$mode.$size"); pv=$(median <"$work/cv.$mode.$size"); pn=$(median <"$work/cn.$mode.$size")
  printf "| %s %s | %'.0f | %'.0f | %'.0f | %.2f | %.2f | %'.0f / %'.0f / %'.0f |\n" \
    "$(numfmt --to=iec-i --suffix=B "$size")" "$mode" "$e" "$v" "$n" "$qv" "$qn" "$pe" "$pv" "$pn"
}

echo "| object | edge req/s | Varnish req/s | nginx req/s | edge / Varnish | edge / nginx | req/s per core used: edge / Varnish / nginx |"
echo "|---|---|---|---|---|---|---|"
for size in $SIZES; do compare hit "$size"; done
for size in $MISS_SIZES; do compare miss "$size"; done
echo "(wrk -t2 -c$CONNECTIONS, $ROUNDS rounds of ${SECONDS_PER_ROUND} s per side, alternating, medians; $cores cores)"
