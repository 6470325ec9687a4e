/* pv-drivers test platform: what the loopback backends share with the
 * platform (not for tests). */
#ifndef PVD_TESTPLAT_INT_H
#define PVD_TESTPLAT_INT_H

#include <glib.h>

#include "pv-drivers/platform/test/testplat.h"

struct tdev;

struct tdev_ops {
	void (*frontend_changed)(struct tdev *d);	/* its state node written */
	void (*service)(struct tdev *d);		/* notified or kicked */
	void (*disconnect)(struct tdev *d);		/* drop every mapping */
	void (*free)(struct tdev *d);
};

/* One loopback backend device. */
struct tdev {
	const struct tdev_ops *ops;
	struct pvd_test *t;
	char *fe;			/* /local/domain/D/device/TYPE/ID */
	char *be;			/* /local/domain/0/backend/TYPE/D/ID */
	char *fe_state;
	char *be_state;
	XenbusState state;
	enum pvd_test_misbehave misbehave;
	bool fe_changed;
	bool kick;
	bool connected;
	bool gone;			/* backend directory removed */
	uint32_t port;			/* frontend's port, once bound */
	const char *override_node, *override_value;
};

void tdev_init(struct tdev *d, struct pvd_test *t, const struct tdev_ops *ops,
	       const char *type, uint32_t id);
void tdev_dispose(struct tdev *d);
void tdev_register(struct pvd_test *t, struct tdev *d);
void tdev_set_state(struct tdev *d, XenbusState s);
XenbusState tdev_fe_state(struct tdev *d);
/* A frontend node as an unsigned number; false when missing or not one. */
bool tdev_fe_u32(struct tdev *d, const char *name, uint32_t *out);
void tdev_be_set(struct tdev *d, const char *name, const char *value);
/* As the toolstack: a frontend node. */
void tdev_fe_set(struct tdev *d, const char *name, const char *value);
/* Writes the configured override, if any; true if it replaced "state". */
bool tdev_override(struct tdev *d);
/* Backend hit a fatal error: Closing, as xenbus_dev_fatal does. */
void tdev_fatal(struct tdev *d, const char *why);

/* Maps grant REF for the backend (domain 0); NULL when REF is not an
 * active grant to domain 0, or is read-only and WRITE is asked. */
void *test_map(struct pvd_test *t, uint32_t ref, bool write);
/* Counts a stale mapping (see pvd_test_stale_maps). */
void test_stale(struct pvd_test *t);
/* Binds the backend end of the frontend's PORT; false if not offered. */
bool test_port_bind(struct pvd_test *t, uint32_t port);
void test_notify_front(struct pvd_test *t, uint32_t port);
uint16_t test_domid(const struct pvd_test *t);

#endif
