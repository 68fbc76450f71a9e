/*
 * config.h - the user's config file, $XDG_CONFIG_HOME/backupdoctor/config
 * (else ~/.config/backupdoctor/config): "key = value" lines, '#'
 * comments, a value optionally in double quotes; the last line of a key
 * wins.  Read afresh on each call (it is small, and read a few times per run).
 */
#ifndef BD_CONFIG_H
#define BD_CONFIG_H

/* The value of `key`, or NULL when the file or the key is absent (caller frees). */
char *config_get(const char *key);

/*
 * The value of `key` as a file name: a relative one is taken from the
 * config file's directory.  NULL when absent (caller frees).
 */
char *config_path(const char *key);

/*
 * The value of `key` as a positive number into *out: 1 when set, 0 when
 * absent (*out untouched), -1 when not a positive number (*cause set).
 */
int config_number(const char *key, double *out, char **cause);

#endif
