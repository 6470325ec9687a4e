/* xlited's web console (issue 12): its static files (installed under
 * $(pkgdatadir)/www), the login that turns the token into an HttpOnly
 * cookie, the CSRF value a page's changes carry, and the handlers of the
 * console's own API (history, console log). */
#ifndef XLITED_WWW_H
#define XLITED_WWW_H

#include <stdbool.h>
#include <stddef.h>

struct xlited_req;

/* A file larger than this is not served. */
#define XLITED_WWW_MAX_FILE (4 * 1024 * 1024)
/* A domain's console log: the last this many bytes. */
#define XLITED_CONSOLE_TAIL (64 * 1024)
#define XLITED_CONSOLE_DIR "/var/log/xen"
/* The header a change made with the cookie must carry. */
#define XLITED_CSRF_HEADER "X-Xlited-CSRF"

/* Pure: whether METHOD PATH asks for a static file (a GET or HEAD outside
 * /api/ and /metrics). */
bool xlited_www_is_static(const char *method, const char *path);
/* Pure: the file under ROOT for URL PATH ("/" is index.html), or NULL when
 * PATH is not one a file may have: a segment empty, "." or "..", starting
 * with a dot, or a character outside [A-Za-z0-9._-]. g_free. */
char *xlited_www_file(const char *root, const char *path);
/* Pure: the Content-Type of FILE by its extension (NULL: not served). */
const char *xlited_www_type(const char *file);
/* Pure: the CSRF value for TOKEN (HMAC-SHA256 of a fixed text, hex);
 * g_free. A page reads it from /login or /api/v1/session; another site
 * cannot (same-origin policy), so it cannot make the browser send it. */
char *xlited_csrf(const char *token);

/* On the loop: answers R with the file (200) or a 404. */
void xlited_www_serve(struct xlited_req *r);
/* Handlers. */
void xlited_www_login(struct xlited_req *r);	/* no token needed */
void xlited_www_logout(struct xlited_req *r);	/* no token needed */
void xlited_www_session(struct xlited_req *r);
void xlited_api_history(struct xlited_req *r);
void xlited_api_dom_history(struct xlited_req *r);
void xlited_api_console(struct xlited_req *r);
/* Troubleshooting: xlite's own log of a domain, Xen's console ring, the
 * last events. */
void xlited_api_dom_log(struct xlited_req *r);
void xlited_api_dmesg(struct xlited_req *r);
void xlited_api_event_history(struct xlited_req *r);

#endif
