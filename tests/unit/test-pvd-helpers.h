/* What the frontend tests (test-pvd-blkfront.c, test-pvd-netfront.c) share. */
#ifndef XLITE_TEST_PVD_HELPERS_H
#define XLITE_TEST_PVD_HELPERS_H

#include <glib.h>

#include "pv-drivers/platform/test/testplat.h"

/* The frontend holds nothing: no grant, port, watch or stale mapping. */
static inline void pvd_assert_nothing_held(struct pvd_test *t)
{
	g_assert_cmpuint(pvd_test_grants_active(t), ==, 0);
	g_assert_cmpuint(pvd_test_ports_open(t), ==, 0);
	g_assert_cmpuint(pvd_test_xs_watches(t), ==, 0);
	g_assert_cmpuint(pvd_test_stale_maps(t), ==, 0);
}

#endif
