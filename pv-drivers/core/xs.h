/* pv-drivers core: typed xenstore access on top of the platform. Every
 * value read is checked (length, digits, range) before it is used. */
#ifndef PVD_XS_H
#define PVD_XS_H

#include "pv-drivers/core/platform.h"

/* DIR/NAME into BUF; returns its length, -ENOENT or another error. */
int pvd_xs_read(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		const char *name, char *buf, size_t size);

/* DIR/NAME as a decimal number <= MAX. Missing: -ENOENT, message recorded. */
int pvd_xs_read_u64(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		    const char *name, uint64_t max, uint64_t *out);

/* Same, but a missing node reads as DEF (features are optional). */
int pvd_xs_read_u64_or(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		       const char *name, uint64_t max, uint64_t def, uint64_t *out);

int pvd_xs_write(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		 const char *name, const char *value);
int pvd_xs_write_u64(struct pvd_platform *p, pvd_txn_t t, const char *dir,
		     const char *name, uint64_t value);

#endif
