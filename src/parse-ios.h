/*
 * parse-ios.h - the pure parsers of an iOS capture: lockdown domains,
 * diagnostics relay IORegistry, installation proxy, MCInstall profiles and
 * syslog lines in, facts out.  No I/O.
 */
#ifndef BD_PARSE_IOS_H
#define BD_PARSE_IOS_H

#include "capture.h"
#include "facts.h"
#include "rules.h"

/* Every fact an iOS capture tells; what it cannot tell stays unknown with a note. */
int ios_parse(const struct kb *kb, const struct capture *cap, struct facts *out);

/*
 * One line of the device log (com.apple.syslog_relay: "Dec  3 22:34:14
 * HOST proc(sub)[pid] <Level>: message") as a capture keeps it: NULL when
 * it is not about backups (processes backupd, BackupAgent2, cloudphotod,
 * cloudd, nsurlsessiond, dasd, powerd, thermalmonitord, or a mention of
 * Low Power Mode or thermal pressure), else the line without its host
 * field (the phone's name: personal data), control characters blanked and
 * at most IOS_SYSLOG_LINE_MAX bytes (caller frees).
 */
#define IOS_SYSLOG_LINE_MAX 512
char *ios_syslog_keep(const char *line, size_t len);

#endif
