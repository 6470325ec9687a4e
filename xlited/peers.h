/* xlited's peers (issue 12): other hosts' xlited, from xlite.conf's
 * [peers] section (NAME = https://HOST[:PORT] TOKEN SHA256-FINGERPRINT),
 * reached through /api/v1/peers/NAME/... so that one web console shows
 * every host. The peer's certificate is pinned to the fingerprint. */
#ifndef XLITED_PEERS_H
#define XLITED_PEERS_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#define XLITED_PEER_TIMEOUT_S 10
#define XLITED_PEER_MAX_REPLY (8 * 1024 * 1024)

struct xlited_req;

struct xlited_peer {
	char *name, *host;
	unsigned int port;
	char *token;
	char *fingerprint;	/* 64 upper-case hex digits */
};
void xlited_peer_free(void *p);
/* Pure: NAME = VALUE of [peers]. 0, or -EINVAL with *err (g_free). */
int xlited_peer_parse(const char *name, const char *value, struct xlited_peer **out,
		      char **err);
/* Adds FILE's [peers] to PEERS (of struct xlited_peer *). 0 or -EINVAL. */
int xlited_peers_load(GPtrArray *peers, const char *file, char **err);
const struct xlited_peer *xlited_peer_find(GPtrArray *peers, const char *name);
/* One request to P over pinned HTTPS: *status and the reply's body
 * (*text when it is text/plain). 0, or -errno with *err (a refused pin:
 * -EPERM, and nothing was sent). Blocks up to XLITED_PEER_TIMEOUT_S per
 * read or write: worker threads only. */
int xlited_peer_call(const struct xlited_peer *p, const char *method, const char *path,
		     const char *content_type, const void *body, size_t body_len,
		     unsigned int *status, bool *text, GString *reply, char **err);

/* Handlers: GET /api/v1/peers, and ANY /api/v1/peers/NAME/REST. */
void xlited_api_peers(struct xlited_req *r);
void xlited_api_peer_proxy(struct xlited_req *r);

#endif
