#!/bin/sh
# simctl.sh - start and stop the adb server simulator in the background, for
# tests written in sh or C.
#
#   simctl.sh start RUNDIR [adb_sim.py options...]   prints the port it listens on
#   simctl.sh stop RUNDIR                            stops it (TERM, then KILL)
#   simctl.sh port RUNDIR                            prints the port again
#
# RUNDIR (made if missing) keeps the simulator's pid, port and log.  The port
# is a free loopback port chosen by the kernel unless --port N is given; start
# returns once the simulator listens, or fails with its log on stderr.
#   port=$(tests/sim/simctl.sh start "$tmp/sim" --scenario tests/sim/android/scenarios/healthy-a14)
#   adb -P "$port" devices -l
#   tests/sim/simctl.sh stop "$tmp/sim"

here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}

usage() {
	echo "usage: simctl.sh start RUNDIR [adb_sim.py options...] | stop RUNDIR | port RUNDIR" >&2
	exit 2
}

# alive PID: the process exists and is not a zombie
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ "$state" != Z ]
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2

case $cmd in
start)
	mkdir -p "$dir" || exit 1
	if [ -s "$dir/pid" ] && alive "$(cat "$dir/pid")"; then
		echo "simctl: a simulator already runs from $dir (pid $(cat "$dir/pid"))" >&2
		exit 1
	fi
	rm -f "$dir/port" "$dir/pid"
	: >"$dir/log"
	# All three streams redirected, so that $(simctl.sh start ...) returns.
	"$python" "$here/adb_sim.py" --port 0 --port-file "$dir/port" "$@" \
		</dev/null >>"$dir/log" 2>&1 &
	pid=$!
	echo "$pid" >"$dir/pid"
	i=0
	while [ ! -s "$dir/port" ]; do
		if ! alive "$pid"; then
			echo "simctl: the simulator failed to start:" >&2
			sed 's/^/  /' "$dir/log" >&2
			rm -f "$dir/pid"
			exit 1
		fi
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "simctl: the simulator did not listen within 15 s" >&2
			kill "$pid" 2>/dev/null
			exit 1
		fi
		sleep 0.05
	done
	cat "$dir/port"
	;;
stop)
	[ -s "$dir/pid" ] || exit 0
	pid=$(cat "$dir/pid")
	kill -TERM "$pid" 2>/dev/null
	i=0
	while alive "$pid"; do
		i=$((i + 1))
		if [ $i -gt 50 ]; then
			echo "simctl: pid $pid ignored TERM for 5 s; killing it" >&2
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
	done
	rm -f "$dir/pid" "$dir/port"
	;;
port)
	[ -s "$dir/port" ] || { echo "simctl: no simulator runs from $dir" >&2; exit 1; }
	cat "$dir/port"
	;;
*)
	usage
	;;
esac
