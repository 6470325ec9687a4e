/* The save format on a file descriptor, through a pump thread (stream.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "libtool/save/stream.h"

#define PUMP_BUF (1u << 20)
#define PIPE_SIZE (1 << 20)

/* ---- descriptors ------------------------------------------------------ */

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Bytes read, fewer than LEN only at the end of the input; or -errno. */
static ssize_t read_full(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* ---- the pump's common part ------------------------------------------- */

static void pump_init(struct xlite_save_pump *p)
{
	memset(p, 0, sizeof(*p));
	p->pipe_rd = p->pipe_wr = -1;
}

static void pump_dispose(struct xlite_save_pump *p)
{
	if (p->thread)
		g_thread_join(p->thread);
	p->thread = NULL;
	close_fd(&p->pipe_rd);
	close_fd(&p->pipe_wr);
	if (p->mask_saved)
		pthread_sigmask(SIG_SETMASK, &p->old_mask, NULL);
	p->mask_saved = false;
	g_free(p->err);
	p->err = NULL;
	g_free(p->stop_file);
	p->stop_file = NULL;
}

static int pump_fail(struct xlite_save_pump *p, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int pump_fail(struct xlite_save_pump *p, int rc, const char *fmt, ...)
{
	va_list ap;

	if (!p->err) {
		va_start(ap, fmt);
		p->err = g_strdup_vprintf(fmt, ap);
		va_end(ap);
		p->rc = rc;
	}
	return rc;
}

static void report(struct xlite_save_pump *p, bool final)
{
	struct xlite_save_progress pr;

	if (!p->progress)
		return;
	pr.done = p->done;
	pr.total = p->total;
	pr.elapsed_s = (double)(g_get_monotonic_time() - p->t0) / G_USEC_PER_SEC;
	pr.final = final;
	p->progress(&pr, p->progress_opaque);
}

/* Counts N more bytes; reports now and then; honours the test hook. */
static void moved(struct xlite_save_pump *p, size_t n, gint64 *last)
{
	gint64 now = g_get_monotonic_time();
	uint64_t before = p->done;
	int every = p->progress_ms > 0 ? p->progress_ms : 250;

	p->done = before + n;
	if (now - *last >= (gint64)every * 1000) {
		report(p, false);
		*last = now;
	}
#ifdef XLITE_TEST_HOOKS
	/* The lab's hook (a --enable-test-hooks build only). */
	if (p->stop_at && before < p->stop_at && p->done >= p->stop_at) {
		int fd = open(p->stop_file, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd >= 0)
			close(fd);
		while (g_file_test(p->stop_file, G_FILE_TEST_EXISTS))
			g_usleep(50000);
	}
#endif
}

/* A pump writing to a pipe nobody reads any more gets EPIPE, not killed. */
static void hold_sigpipe(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Discards a SIGPIPE held for this thread, then restores OLD. */
static void release_sigpipe(const sigset_t *old)
{
	sigset_t set;
	struct timespec zero = { 0, 0 };

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	while (sigtimedwait(&set, NULL, &zero) == SIGPIPE)
		;
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int pump_start(struct xlite_save_pump *p, GThreadFunc fn, void *data,
		      const char *name, char **err)
{
	int fds[2];
	GError *gerr = NULL;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		*err = g_strdup_printf("pipe: %s", g_strerror(errno));
		return -errno;
	}
	p->pipe_rd = fds[0];
	p->pipe_wr = fds[1];
	(void)fcntl(p->pipe_wr, F_SETPIPE_SZ, PIPE_SIZE);	/* fewer wake-ups */
	p->t0 = g_get_monotonic_time();
	hold_sigpipe(&p->old_mask);
	p->mask_saved = true;
	p->thread = g_thread_try_new(name, fn, data, &gerr);
	if (!p->thread) {
		*err = g_strdup_printf("starting the stream thread: %s", gerr->message);
		g_error_free(gerr);
		return -EAGAIN;
	}
	return 0;
}

static int pump_join(struct xlite_save_pump *p)
{
	if (p->thread)
		g_thread_join(p->thread);
	p->thread = NULL;
	if (p->mask_saved)
		release_sigpipe(&p->old_mask);
	p->mask_saved = false;
	return p->rc;
}

/* ---- writer ----------------------------------------------------------- */

void xlite_save_writer_init(struct xlite_save_writer *w, int fd)
{
	memset(w, 0, sizeof(*w));
	w->fd = fd;
	pump_init(&w->pump);
}

void xlite_save_writer_dispose(struct xlite_save_writer *w)
{
	close_fd(&w->pump.pipe_wr);	/* the pump sees the end, then goes */
	pump_dispose(&w->pump);
}

static int writer_put(struct xlite_save_writer *w, const void *buf, size_t len)
{
	int rc = write_all(w->fd, buf, len);

	if (rc == 0) {
		w->crc = xlite_save_crc(w->crc, buf, len);
		w->offset += len;
	}
	return rc;
}

int xlite_save_writer_begin(struct xlite_save_writer *w, struct xlite_save_header *h,
			    const char *xml, char **err)
{
	uint8_t head[XLITE_SAVE_HEADER_LEN];
	size_t len = strlen(xml);
	int rc;

	if (len == 0 || len > XLITE_SAVE_XML_MAX) {
		*err = g_strdup_printf("domain XML of %zu bytes: 1 to %u expected", len,
				       XLITE_SAVE_XML_MAX);
		return -EINVAL;
	}
	h->version = XLITE_SAVE_VERSION;
	h->xml_len = (uint32_t)len;
	h->xml_crc = xlite_save_crc(0, xml, len);
	xlite_save_header_encode(h, head);
	rc = writer_put(w, head, sizeof(head));
	if (rc == 0)
		rc = writer_put(w, xml, len);
	if (rc < 0)
		*err = g_strdup(g_strerror(-rc));
	return rc;
}

static gpointer writer_pump(gpointer data)
{
	struct xlite_save_writer *w = data;
	struct xlite_save_pump *p = &w->pump;
	uint8_t *buf = g_malloc(XLITE_SAVE_CHUNK_HEAD + PUMP_BUF);
	gint64 last = g_get_monotonic_time();
	sigset_t old;

	hold_sigpipe(&old);
	for (;;) {
		ssize_t n = read(p->pipe_rd, buf + XLITE_SAVE_CHUNK_HEAD, PUMP_BUF);
		int rc;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			pump_fail(p, -errno, "reading the stream: %s", g_strerror(errno));
			break;
		}
		if (n == 0)
			break;
		xlite_save_chunk_head_encode((uint32_t)n, buf);
		rc = writer_put(w, buf, XLITE_SAVE_CHUNK_HEAD + (size_t)n);
		if (rc < 0) {
			pump_fail(p, rc, "%s", g_strerror(-rc));
			break;
		}
		w->stream_len += (uint64_t)n;
		moved(p, (size_t)n, &last);
	}
	/* A writer that gave up stops libxenguest at its next write (EPIPE). */
	close_fd(&p->pipe_rd);
	g_free(buf);
	return NULL;
}

int xlite_save_writer_start(struct xlite_save_writer *w, int *stream_fd, char **err)
{
	int rc = pump_start(&w->pump, writer_pump, w, "xlite-save", err);

	*stream_fd = w->pump.pipe_wr;
	return rc;
}

int xlite_save_writer_finish(struct xlite_save_writer *w, bool stream_ok, char **err)
{
	struct xlite_save_trailer t;
	uint8_t end[XLITE_SAVE_CHUNK_HEAD], tail[XLITE_SAVE_TRAILER_LEN];
	int rc;

	close_fd(&w->pump.pipe_wr);
	rc = pump_join(&w->pump);
	if (rc < 0) {
		*err = g_strdup(w->pump.err);
		return rc;
	}
	report(&w->pump, true);
	if (!stream_ok)
		return 0;
	xlite_save_chunk_head_encode(0, end);
	rc = writer_put(w, end, sizeof(end));
	if (rc == 0) {
		t.stream_len = w->stream_len;
		t.total_len = w->offset + XLITE_SAVE_TRAILER_LEN;
		t.crc = w->crc;
		xlite_save_trailer_encode(&t, tail);
		rc = writer_put(w, tail, sizeof(tail));
	}
	if (rc < 0)
		*err = g_strdup(g_strerror(-rc));
	return rc;
}

/* ---- reader ----------------------------------------------------------- */

void xlite_save_reader_init(struct xlite_save_reader *r, int fd)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	pump_init(&r->pump);
}

void xlite_save_reader_dispose(struct xlite_save_reader *r)
{
	close_fd(&r->pump.pipe_rd);	/* the pump's next write fails: it goes */
	pump_dispose(&r->pump);
	g_free(r->xml);
	r->xml = NULL;
}

/* Exactly LEN bytes, or -EINVAL "truncated ... inside WHAT". */
static int reader_get(struct xlite_save_reader *r, void *buf, size_t len, const char *what,
		      char **err)
{
	ssize_t n = read_full(r->fd, buf, len);

	if (n < 0) {
		*err = g_strdup_printf("reading at byte %" PRIu64 ": %s", r->offset,
				       g_strerror((int)-n));
		return (int)n;
	}
	if ((size_t)n < len) {
		*err = g_strdup_printf("truncated: it ends at byte %" PRIu64 ", inside %s",
				       r->offset + (uint64_t)n, what);
		return -EINVAL;
	}
	if (!r->checked)
		r->crc = xlite_save_crc(r->crc, buf, len);
	r->offset += len;
	return 0;
}

int xlite_save_reader_begin(struct xlite_save_reader *r, char **err)
{
	uint8_t head[XLITE_SAVE_HEADER_LEN];
	ssize_t n;
	int rc;

	n = read_full(r->fd, head, sizeof(head));
	if (n < 0) {
		*err = g_strdup(g_strerror((int)-n));
		return (int)n;
	}
	rc = xlite_save_header_decode(head, (size_t)n, &r->header, err);
	if (rc < 0)
		return rc;
	r->crc = xlite_save_crc(0, head, sizeof(head));
	r->offset = sizeof(head);
	r->xml = g_malloc(r->header.xml_len + 1);
	rc = reader_get(r, r->xml, r->header.xml_len, "the domain XML", err);
	if (rc < 0)
		return rc;
	r->xml[r->header.xml_len] = '\0';
	if (xlite_save_crc(0, r->xml, r->header.xml_len) != r->header.xml_crc) {
		*err = g_strdup("corrupted: the domain XML's checksum does not match");
		return -EINVAL;
	}
	if (memchr(r->xml, '\0', r->header.xml_len)) {
		*err = g_strdup("damaged: the domain XML holds a NUL byte");
		return -EINVAL;
	}
	return 0;
}

/* The chunks, each payload to SINK (-1: nowhere), then the trailer. */
static int read_body(struct xlite_save_reader *r, int sink, char **err)
{
	struct xlite_save_pump *p = &r->pump;
	uint8_t *buf = NULL;
	uint8_t head[XLITE_SAVE_CHUNK_HEAD], tail[XLITE_SAVE_TRAILER_LEN];
	uint32_t size = 0;
	gint64 last = g_get_monotonic_time();
	uint32_t len;
	int rc;

	for (;;) {
		uint64_t at = r->offset;

		rc = reader_get(r, head, sizeof(head), "the memory stream", err);
		if (rc == 0)
			rc = xlite_save_chunk_head_decode(head, at, &len, err);
		if (rc < 0 || len == 0)
			break;
		if (len > size) {	/* as large as the largest chunk so far */
			size = len;
			buf = g_realloc(buf, size);
		}
		rc = reader_get(r, buf, len, "the memory stream", err);
		if (rc < 0)
			break;
		r->stream_len += len;
		if (sink >= 0) {
			rc = write_all(sink, buf, len);
			if (rc < 0) {
				*err = g_strdup_printf("the restore stopped reading at byte %"
						       PRIu64 ": %s", r->offset, g_strerror(-rc));
				break;
			}
		}
		moved(p, len, &last);
	}
	if (rc == 0) {
		uint32_t crc = r->crc;
		uint64_t at = r->offset;

		rc = reader_get(r, tail, sizeof(tail), "the trailer", err);
		if (rc == 0)
			rc = xlite_save_trailer_check(tail, r->stream_len,
						      r->checked ? XLITE_SAVE_CRC_CHECKED : crc, at,
						      err);
	}
	if (rc == 0 && !r->more_follows && read_full(r->fd, head, 1) == 1) {
		*err = g_strdup_printf("damaged: more data after the trailer at byte %" PRIu64,
				       r->offset);
		rc = -EINVAL;
	}
	g_free(buf);
	return rc;
}

int xlite_save_reader_verify(struct xlite_save_reader *r, char **err)
{
	int rc;

	r->pump.t0 = g_get_monotonic_time();
	rc = read_body(r, -1, err);
	report(&r->pump, true);
	return rc;
}

static gpointer reader_pump(gpointer data)
{
	struct xlite_save_reader *r = data;
	struct xlite_save_pump *p = &r->pump;
	char *err = NULL;
	sigset_t old;
	int rc;

	hold_sigpipe(&old);
	rc = read_body(r, p->pipe_wr, &err);
	if (rc < 0) {
		pump_fail(p, rc, "%s", err);
		g_free(err);
	}
	close_fd(&p->pipe_wr);	/* libxenguest sees the end */
	return NULL;
}

int xlite_save_reader_start(struct xlite_save_reader *r, int *stream_fd, char **err)
{
	int rc = pump_start(&r->pump, reader_pump, r, "xlite-restore", err);

	*stream_fd = r->pump.pipe_rd;
	return rc;
}

int xlite_save_reader_finish(struct xlite_save_reader *r, char **err)
{
	int rc;

	close_fd(&r->pump.pipe_rd);
	rc = pump_join(&r->pump);
	if (rc < 0)
		*err = g_strdup(r->pump.err);
	else
		report(&r->pump, true);
	return rc;
}
