/* pv-drivers linux-user platform: Linux's /proc/meminfo, for the agent. */
#ifndef PVD_MEMINFO_H
#define PVD_MEMINFO_H

#include "pv-drivers/core/agent.h"

/* Parses the text of /proc/meminfo. MemTotal and MemFree are required;
 * MemAvailable (Linux >= 3.14) falls back to MemFree, swap to 0. Values
 * are checked: numbers in kB, available and free not above total. */
int pvd_meminfo_parse(const char *text, struct pvd_meminfo *m, struct pvd_err *e);

/* Reads and parses PATH (normally /proc/meminfo). */
int pvd_meminfo_read(const char *path, struct pvd_meminfo *m, struct pvd_err *e);

#endif
