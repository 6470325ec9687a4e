/* Internals of the planner (plan*.c). */
#ifndef XLITE_PLAN_INT_H
#define XLITE_PLAN_INT_H

#include <glib.h>

#include "libtool/plan/plan.h"

/* Appends ops; the first failure sticks in RC and later calls do nothing,
 * so a plan section reads as a list and is checked once. */
struct xlite_ops_builder {
	struct xlite_xs_ops *ops;
	int rc;
};

void xlite_ops_mkdir(struct xlite_ops_builder *b, const char *perms,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* VALUE is stored as given: escape config-derived text first. */
void xlite_ops_write(struct xlite_ops_builder *b, const char *value,
		     const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void xlite_ops_dispose(struct xlite_xs_ops *ops);
unsigned int xlite_ops_requests(const struct xlite_xs_ops *ops);

int xlite_plan_domain_nodes(struct xlite_plan *plan);
int xlite_plan_disk_nodes(struct xlite_plan_disk *d, size_t index);
int xlite_plan_nic_nodes(struct xlite_plan_nic *n);

#endif
