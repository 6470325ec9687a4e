# xenstore-client: rules included by the top Makefile.am
