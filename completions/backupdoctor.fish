# fish completion for backupdoctor(1).
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
# see __backupdoctor_devices for how it is kept cheap.
#
# Install as backupdoctor.fish in a directory of $fish_complete_path (for
# instance /usr/local/share/fish/vendor_completions.d).

# Where the line is.  Prints six lines: the command, the rules or log action,
# the option whose value is being typed, the number of arguments before the
# cursor, 1 after "--", and the --rules directory ("_" for none).
function __backupdoctor_parse
    set -l tokens (commandline -opc)
    set -l cmd _
    set -l sub _
    set -l want _
    set -l nargs 0
    set -l ddash 0
    set -l rules _
    set -l n (count $tokens)
    set -l i 2
    while test $i -le $n
        set -l w $tokens[$i]
        if test $cmd = _
            switch $w
                case --rules
                    if test $i -eq $n
                        set want $w
                    else
                        set i (math $i + 1)
                        set rules $tokens[$i]
                    end
                case '--rules=*'
                    set rules (string replace -- --rules= '' $w)
                case '-*'
                case '*'
                    set cmd $w
            end
        else if test $ddash = 1
            set nargs (math $nargs + 1)
        else
            switch $w
                case --
                    set ddash 1
                case --rules
                    if test $i -eq $n
                        set want $w
                    else
                        set i (math $i + 1)
                        set rules $tokens[$i]
                    end
                case '--rules=*'
                    set rules (string replace -- --rules= '' $w)
                case --format -f -o --output --answer -a --answers --fail-on \
                    --device -d --timeout -t --log-seconds --endpoints --upload-test \
                    --db --note --ticket --post --cacert --capture --serial --imei --cause
                    if test $i -eq $n
                        set want $w
                    else
                        set i (math $i + 1)
                    end
                case -
                    set nargs (math $nargs + 1)
                case '-*'
                case '*'
                    # the action of "rules" and "log" (their options may come first)
                    if contains -- $cmd rules log; and test $sub = _
                        set sub $w
                    else
                        set nargs (math $nargs + 1)
                    end
            end
        end
        set i (math $i + 1)
    end
    set rules (string replace -r -- '^~(?=/|$)' $HOME $rules)
    printf '%s\n' $cmd $sub $want $nargs $ddash $rules
end

# Run the program's hidden completion command, with the --rules directory
# the line names (cause ids and facts come from the rules).
function __backupdoctor_ask
    set -l prog (commandline -opc)[1]
    set prog (string replace -r -- '^~(?=/)' $HOME $prog)
    if not string match -q -- '*/*' $prog; or not test -x $prog
        set prog backupdoctor
    end
    set -l rules (__backupdoctor_parse)[6]
    set -l pre
    test $rules != _; and set pre --rules $rules
    $prog $pre __complete $argv 2>/dev/null
end

# The phones attached, as "ID<tab>platform state, model".  `devices` asks
# no phone anything, but when no adb server runs it would start one: it is
# run with an empty PATH so that it cannot (a completion must not leave a
# daemon behind, nor make a phone show its USB debugging prompt), and under
# a deadline when timeout(1) is there.  Only what a running adb server and
# usbmuxd already see is offered.
function __backupdoctor_devices
    set -l prog (commandline -opc)[1]
    set prog (string replace -r -- '^~(?=/)' $HOME $prog)
    if not string match -q -- '*/*' $prog; or not test -x $prog
        set prog (command -s backupdoctor); or return
    end
    set -l run env PATH=/nonexistent $prog devices --format json
    command -q timeout; and set run timeout 3 $run
    set -l id
    set -l desc
    # one member a line: "id": "…", "platform": …, "state": …, "model": "…" or null
    for line in ($run 2>/dev/null)
        set -l kv (string match -r -- '^\s*"(id|platform|state|model)": (?:"([^"]*)"|null)' $line)
        or continue
        switch $kv[2]
            case id
                set id $kv[3]
                set desc
            case platform state
                set -a desc $kv[3]
            case model
                set -l d (string join ' ' $desc)
                test -n "$kv[3]"; and set d "$d, $kv[3]"
                test -n "$id"; and printf '%s\t%s\n' $id $d
                set id
        end
    end
end

# Candidates for the value of option $argv[1]; $argv[2] is what comes
# before the value in the same word ("--format=" when written that way).
function __backupdoctor_value
    set -l opt $argv[1]
    set -l pre $argv[2]
    set -l st (__backupdoctor_parse)
    set -l cmd $st[1]
    # the value typed so far, without the "--option=" in front
    set -l val (string sub -s (math (string length -- "$pre") + 1) -- (commandline -ct))
    switch $opt
        case --format -f
            if contains -- $cmd rules devices net
                printf '%s\n' $pre"text" $pre"json"
            else if test $cmd = info
                printf '%s\n' $pre"text" $pre"json" $pre"csv"
            else if test $cmd = log -a $st[2] = export
                printf '%s\n' $pre"csv" $pre"json"
            else if test $cmd = log
                printf '%s\n' $pre"text" $pre"json" $pre"csv"
            else
                for f in (__backupdoctor_ask formats)
                    printf '%s\n' $pre$f
                end
            end
        case --log-seconds
            # seconds of the device log to read: a few usual lengths
            for n in 5 10 20 30 60
                printf '%s\tseconds\n' $pre$n
            end
        case --cause
            for id in (__backupdoctor_ask rule-ids)
                printf '%s\n' $pre$id
            end
        case --answer -a
            # FACT=VALUE: the fact names come from the rules; what a value
            # may be is for the person to answer.
            if not string match -q -- '*=*' "$val"
                for f in (__backupdoctor_ask facts)
                    printf '%s=\tfact\n' $pre$f
                end
            end
        case --fail-on
            printf '%s\t%s\n' $pre"confirmed" "only confirmed findings" \
                $pre"possible" "confirmed or possible findings (default)" \
                $pre"never" "exit 0 whenever the report was produced"
        case --rules
            for d in (__fish_complete_directories "$val")
                printf '%s\n' $pre$d
            end
        case --device -d
            for d in (__backupdoctor_devices)
                printf '%s\n' $pre$d
            end
    end
end

# What to offer for the word under the cursor, except files and
# directories, which the "complete -F" lines below offer.
function __backupdoctor_complete
    set -l st (__backupdoctor_parse)
    set -l cmd $st[1]
    set -l sub $st[2]
    set -l want $st[3]
    set -l nargs $st[4]
    set -l ddash $st[5]
    set -l cur (commandline -ct)

    if test $want != _
        __backupdoctor_value $want ''
    else if test $ddash = 0; and string match -q -- '--*=*' $cur
        __backupdoctor_value (string replace -r -- '=.*' '' $cur) (string replace -r -- '=.*' '=' $cur)
    else if test $ddash = 0; and string match -q -- '-*' $cur
        if test $cmd = _
            __backupdoctor_ask options
        else
            __backupdoctor_ask options $cmd
        end
    else if test $cmd = _
        __backupdoctor_ask commands
    else if test $cmd = rules -a $sub = _
        printf '%s\t%s\n' list "list the causes the knowledge base knows" \
            show "show one cause as the rules state it" \
            lint "check a knowledge base and report every problem"
    else if test $cmd = log -a $sub = _
        printf '%s\t%s\n' list "every visit in the shop log" \
            show "one visit in full" \
            search "visits by serial, IMEI, ticket or cause" \
            export "every visit as CSV or JSON, redacted" \
            resend "send the reports not delivered yet"
    else if test "$cmd $sub" = "rules show" -a $nargs = 0
        __backupdoctor_ask rule-ids
    else if test "$cmd $sub" = "rules lint" -a $nargs = 0
        __fish_complete_directories $cur
    end
end

# Whether the word under the cursor is a file name.
function __backupdoctor_wants_files
    set -l st (__backupdoctor_parse)
    set -l cur (commandline -ct)
    switch $st[3]
        case -o --output --answers --db --cacert --endpoints --capture
            return 0
        case _
        case '*'
            return 1
    end
    if test $st[5] = 0
        if string match -qr -- '^(-o|--output|--answers|--db|--cacert|--endpoints|--capture)=' $cur
            return 0
        end
        string match -q -- '-*' $cur; and return 1
    end
    # the commands whose arguments are files
    not contains -- $st[1] _ rules devices scan capture info net log
end

complete -c backupdoctor -f -a '(__backupdoctor_complete)'
complete -c backupdoctor -n __backupdoctor_wants_files -F
