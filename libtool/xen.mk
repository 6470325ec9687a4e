# libtool/xen.mk: the Xen side of libxlite (hypervisor ops, apply); appends to libtool/local.mk's rules
