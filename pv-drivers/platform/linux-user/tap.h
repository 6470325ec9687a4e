/* pv-drivers linux-user platform: the guest side of xlite-netfront, a TAP
 * interface (/dev/net/tun, kernel module tun). */
#ifndef PVD_TAP_H
#define PVD_TAP_H

#include "pv-drivers/core/pvd.h"

/* Creates (or attaches to) TAP interface NAME with MAC, brings it up and
 * returns its non-blocking fd; negative with the reason in E. */
int pvd_tap_open(const char *name, const uint8_t mac[6], struct pvd_err *e);

#endif
