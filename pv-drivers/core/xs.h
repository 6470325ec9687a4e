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

/* Runs FN(P, T, OPAQUE) in a xenstore transaction, again (at most 16 times)
 * while the commit conflicts; an error of FN ends the transaction
 * uncommitted and is returned. Still conflicting: -EAGAIN, "WHERE: xenstore
 * transaction kept conflicting" recorded. */
typedef int pvd_xs_txn_fn(struct pvd_platform *p, pvd_txn_t t, void *opaque);
int pvd_xs_transaction(struct pvd_platform *p, const char *where, pvd_xs_txn_fn *fn,
		       void *opaque);

#endif
