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

#endif
