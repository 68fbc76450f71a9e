# bash completion for backupdoctor(1)                      -*- shell-script -*-
#
# The program knows its own commands, options, report formats, cause ids and
# askable facts, so this script asks it instead of keeping copies that would
# drift.  The hidden command prints one word per line:
#
#   backupdoctor [--rules DIR] __complete commands       the commands
#   backupdoctor [--rules DIR] __complete options [CMD]  long options (global
#                                                         ones without CMD)
#   backupdoctor [--rules DIR] __complete formats        report formats
#   backupdoctor [--rules DIR] __complete rule-ids       cause ids
#   backupdoctor [--rules DIR] __complete facts          askable facts
#
# Kept here: the subcommands of "rules" (list, show, lint) and of "log"
# (list, show, search, export, resend), the short forms of options, and
# what kind of value each option takes (a file, a directory, a format, a
# fact, a cause id, a phone, a number of seconds).  Phone ids come from
# `backupdoctor devices --format json`, which never asks a phone anything;
# see _backupdoctor_devices for how it is kept cheap.
#
# Install as backupdoctor in bash-completion's completions directory, or
# source it from ~/.bashrc.

# Run the program's hidden completion command, with the --rules directory
# the line names (cause ids and facts come from the rules).
_backupdoctor_ask()
{
	local -a pre=()
	[[ -n $_bd_rules ]] && pre=(--rules "$_bd_rules")
	"$_bd_prog" "${pre[@]}" __complete "$@" 2>/dev/null
}

# Read words from stdin; add to COMPREPLY those that start with $1, each
# written as $2 WORD $3.
_backupdoctor_add()
{
	local w
	while IFS= read -r w; do
		[[ -n $w && $w == "$1"* ]] && COMPREPLY+=("$2$w$3")
	done
	return 0
}

# Undo the quoting and the leading tilde of a word typed on the line, well
# enough to pass a directory on (never through eval).
_backupdoctor_unquote()
{
	local w=$1
	case $w in
	\"*\") w=${w:1:${#w}-2} ;;
	\'*\') w=${w:1:${#w}-2} ;;
	*) w=${w//\\/} ;;
	esac
	[[ $w == "~" || $w == "~/"* ]] && w=$HOME${w:1}
	printf '%s' "$w"
}

# Files.  Facts files are JSON, so for them offer *.json files and
# directories, and every file only when no name ends in .json.
_backupdoctor_files()
{
	local match=$1 pre=$2 n=${#COMPREPLY[@]}
	compopt -o filenames 2>/dev/null
	if [[ ${3-} == json ]]; then
		_backupdoctor_add "$match" "$pre" "" < <(compgen -f -X '!*.[jJ][sS][oO][nN]' -- "$match")
		if ((${#COMPREPLY[@]} > n)); then
			_backupdoctor_add "$match" "$pre" "" < <(compgen -d -X '*.[jJ][sS][oO][nN]' -- "$match")
			return 0
		fi
	fi
	_backupdoctor_add "$match" "$pre" "" < <(compgen -f -- "$match")
}

# The ids of the phones attached, one a line.  `devices` asks no phone
# anything, but when no adb server runs it would start one: it is run with
# an empty PATH so that it cannot (a completion must not leave a daemon
# behind, nor make a phone show its USB debugging prompt), and under a
# deadline when timeout(1) is there.  Only what a running adb server and
# usbmuxd already see is offered.
_backupdoctor_devices()
{
	local prog line
	local -a run=()
	prog=$(type -P -- "$_bd_prog") || return 0
	type -P timeout >/dev/null && run=(timeout 3)
	run+=(env PATH=/nonexistent "$prog" devices --format json)
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*\"id\":\ \"([^\"]+)\" ]] && printf '%s\n' "${BASH_REMATCH[1]}"
	done < <("${run[@]}" 2>/dev/null)
	return 0
}

_backupdoctor_dirs()
{
	compopt -o filenames 2>/dev/null
	_backupdoctor_add "$1" "$2" "" < <(compgen -d -- "$1")
}

# Complete the value $2 of option $1; $3 is what comes before the value in
# the same word ("--format=" when written that way).
_backupdoctor_value()
{
	local opt=$1 val=$2 pre=$3
	case $opt in
	--rules)
		_backupdoctor_dirs "$val" "$pre"
		;;
	--format | -f)
		case $cmd in
		rules | devices | net)
			_backupdoctor_add "$val" "$pre" "" < <(printf '%s\n' text json) ;;
		info)
			_backupdoctor_add "$val" "$pre" "" < <(printf '%s\n' text json csv) ;;
		log)
			if [[ $sub == export ]]; then
				_backupdoctor_add "$val" "$pre" "" < <(printf '%s\n' csv json)
			else
				_backupdoctor_add "$val" "$pre" "" < <(printf '%s\n' text json csv)
			fi
			;;
		*)
			_backupdoctor_add "$val" "$pre" "" < <(_backupdoctor_ask formats) ;;
		esac
		;;
	-o | --output | --answers | --db | --cacert | --endpoints)
		_backupdoctor_files "$val" "$pre"
		;;
	--capture)
		_backupdoctor_files "$val" "$pre" json
		;;
	--log-seconds)
		# seconds of the device log to read: a few usual lengths
		_backupdoctor_add "$val" "$pre" "" < <(printf '%s\n' 5 10 20 30 60)
		;;
	--cause)
		_backupdoctor_add "$val" "$pre" "" < <(_backupdoctor_ask rule-ids)
		;;
	--answer | -a)
		# FACT=VALUE: the fact names come from the rules; what a value may
		# be is for the person to answer.
		if [[ $val != *=* ]]; then
			compopt -o nospace 2>/dev/null
			_backupdoctor_add "$val" "$pre" "=" < <(_backupdoctor_ask facts)
		fi
		;;
	--fail-on)
		_backupdoctor_add "$val" "$pre" "" < <(printf '%s\n' confirmed possible never)
		;;
	--device | -d)
		_backupdoctor_add "$val" "$pre" "" < <(_backupdoctor_devices)
		;;
	esac
}

# Rebuild the words as the program will see them: bash splits
# "--format=json" and "fact=value" at "=" (COMP_WORDBREAKS), the program
# does not.  Sets words, cword, cur (the word up to the cursor) and bcur
# (the part of it that bash will replace).
_backupdoctor_words()
{
	local line=${COMP_LINE:0:COMP_POINT} w i sep
	words=() cword=-1
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		sep=0
		if [[ $line =~ ^[[:space:]]+ ]]; then
			line=${line:${#BASH_REMATCH[0]}}
			sep=1
		fi
		if ((i == COMP_CWORD)); then
			w=$line
			bcur=$line
		elif [[ ${line:0:${#w}} != "$w" ]]; then
			# The line does not read as bash split it: keep bash's words.
			words=("${COMP_WORDS[@]:0:COMP_CWORD}")
			cword=$COMP_CWORD
			cur=${COMP_WORDS[COMP_CWORD]}
			cur=${cur:0:${#line}}
			bcur=$cur
			words+=("$cur")
			return 0
		fi
		if ((i > 0 && sep == 0)); then
			words[cword]+=$w
		else
			cword=$((cword + 1))
			words[cword]=$w
		fi
		line=${line:${#w}}
	done
	cur=${words[cword]}
}

_backupdoctor()
{
	local -a words
	local cword cur bcur
	local _bd_prog _bd_rules=
	local cmd= sub= want= ddash=0 nargs=0 i w

	COMPREPLY=()
	_backupdoctor_words

	_bd_prog=$(_backupdoctor_unquote "${words[0]}")
	[[ $_bd_prog == */* && -x $_bd_prog ]] || _bd_prog=backupdoctor

	# Where are we: before the command (global options), after "rules" or
	# "log", or among a command's options and arguments?
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		if [[ -z $cmd ]]; then
			case $w in
			--rules)
				((i + 1 == cword)) && want=$w
				_bd_rules=$(_backupdoctor_unquote "${words[i + 1]-}")
				i=$((i + 1))
				;;
			--rules=*)
				_bd_rules=$(_backupdoctor_unquote "${w#*=}")
				;;
			-*) ;;
			*) cmd=$w ;;
			esac
			continue
		fi
		if ((ddash)); then
			nargs=$((nargs + 1))
			continue
		fi
		case $w in
		--) ddash=1 ;;
		--rules)
			((i + 1 == cword)) && want=$w
			_bd_rules=$(_backupdoctor_unquote "${words[i + 1]-}")
			i=$((i + 1))
			;;
		--rules=*)
			_bd_rules=$(_backupdoctor_unquote "${w#*=}")
			;;
		--format | -f | -o | --output | --answer | -a | --answers | --fail-on | \
			--device | -d | --timeout | -t | --log-seconds | --endpoints | \
			--upload-test | --db | --note | --ticket | --post | --cacert | \
			--capture | --serial | --imei | --cause)
			((i + 1 == cword)) && want=$w
			i=$((i + 1))
			;;
		-) nargs=$((nargs + 1)) ;;
		-*) ;;
		*)
			# the action of "rules" and "log" (their options may come first)
			if [[ ($cmd == rules || $cmd == log) && -z $sub ]]; then
				sub=$w
			else
				nargs=$((nargs + 1))
			fi
			;;
		esac
	done

	if [[ -n $want ]]; then
		_backupdoctor_value "$want" "$cur" ""
	elif ((!ddash)) && [[ $cur == --*=* ]]; then
		_backupdoctor_value "${cur%%=*}" "${cur#*=}" "${cur%%=*}="
	elif ((!ddash)) && [[ $cur == -* ]]; then
		if [[ -z $cmd ]]; then
			_backupdoctor_add "$cur" "" "" < <(_backupdoctor_ask options)
		else
			_backupdoctor_add "$cur" "" "" < <(_backupdoctor_ask options "$cmd")
		fi
	elif [[ -z $cmd ]]; then
		_backupdoctor_add "$cur" "" "" < <(_backupdoctor_ask commands)
	elif [[ $cmd == rules && -z $sub ]]; then
		_backupdoctor_add "$cur" "" "" < <(printf '%s\n' list show lint)
	elif [[ $cmd == log && -z $sub ]]; then
		_backupdoctor_add "$cur" "" "" < <(printf '%s\n' list show search export resend)
	else
		case $cmd${sub:+ $sub} in
		analyze)
			_backupdoctor_files "$cur" "" json
			;;
		"rules show")
			((nargs == 0)) &&
				_backupdoctor_add "$cur" "" "" < <(_backupdoctor_ask rule-ids)
			;;
		"rules lint")
			((nargs == 0)) && _backupdoctor_dirs "$cur" ""
			;;
		rules\ * | log\ * | scan | capture | devices | info | net) ;;
		*)
			_backupdoctor_files "$cur" ""
			;;
		esac
	fi

	# The candidates are whole words; bash replaces only what follows its
	# last word break (after "=" in "--format=js"), so cut the rest off.
	local cut=$((${#cur} - ${#bcur}))
	if ((cut > 0)); then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=${COMPREPLY[i]:cut}
		done
	fi
	return 0
}

complete -F _backupdoctor backupdoctor
