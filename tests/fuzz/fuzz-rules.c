/*
 * fuzz-rules.c - libFuzzer harness for the rule language loader: the bytes
 * are one rules file, lexed, parsed and (when it parsed) checked; the
 * diagnostics are rendered, then everything is released.  Any crash, leak
 * or undefined behaviour is a bug: a loader must survive any file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The checker quotes source lines by reopening the file by name: a name
 * that cannot exist keeps the run free of the file system.
 */
#define NAME "/nonexistent/fuzz.rules"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink)
		sink = fopen("/dev/null", "w");

	struct kb kb;
	struct diags d;
	kb_init(&kb);
	diags_init(&d);
	if (rules_parse_text(&kb, NAME, (const char *)data, size, &d) == 0)
		rules_check(&kb, &d);
	if (sink)
		diags_print(&d, sink);
	kb_release(&kb);
	diags_release(&d);
	return 0;
}
