/* Replies: errors are JSON with a status that fits. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "libtool/util/json.h"
#include "xlited/xlited.h"

void xlited_reply(struct xlited_req *r, unsigned int status, const char *content_type,
		  const char *body)
{
	r->status = status;
	r->content_type = content_type;
	g_string_assign(r->out, body ? body : "");
}

unsigned int xlited_error_line(const char *msg)
{
	const char *colon = strchr(msg, ':');
	guint64 line;
	char *end;

	if (!colon || colon == msg || !g_ascii_isdigit(colon[1]))
		return 0;
	line = g_ascii_strtoull(colon + 1, &end, 10);
	if (end == colon + 1 || *end != ':' || line == 0 || line > G_MAXUINT)
		return 0;
	return (unsigned int)line;
}

void xlited_reply_error(struct xlited_req *r, unsigned int status, const char *fmt, ...)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *msg = NULL, *doc = NULL;
	unsigned int line;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	line = xlited_error_line(msg);
	xlite_json_begin_object(b);
	xlite_json_member_str(b, "error", msg);
	xlite_json_member_int(b, "status", status);
	if (line)
		xlite_json_member_int(b, "line", line);
	xlite_json_end_object(b);
	doc = xlite_json_to_string(b, false);
	xlited_reply(r, status, "application/json", doc);
}

unsigned int xlited_status_of(int rc)
{
	switch (-rc) {
	case ESRCH:
	case ENOENT:
		return 404;
	case EEXIST:
	case EBUSY:
	case ERANGE:
	case EAGAIN:
	case ENOSPC:	/* admission: the host cannot give it its minimum */
		return 409;
	case EINVAL:
		return 400;
	case EPERM:
	case EACCES:
		return 403;
	case ETIMEDOUT:
		return 504;
	default:
		return 500;
	}
}
