/* The save file format and its stream: what is written reads back, and a
 * file cut or damaged anywhere, or of another version, is refused saying
 * what is wrong. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/save/format.h"
#include "libtool/save/stream.h"

#define XML "<domain type='xen'><name>t</name></domain>\n"

static void assert_refused(const uint8_t *buf, size_t len, const char *why)
{
	struct xlite_save_header h;
	char *err = NULL;

	g_assert_cmpint(xlite_save_header_decode(buf, len, &h, &err), ==, -EINVAL);
	g_assert_nonnull(err);
	if (!strstr(err, why))
		g_error("expected '%s' in '%s'", why, err);
	g_free(err);
}

static void encode_sample(uint8_t out[XLITE_SAVE_HEADER_LEN])
{
	struct xlite_save_header h = { XLITE_SAVE_VERSION, 0, 100, 0x1234, 1700000000, 163840 };

	xlite_save_header_encode(&h, out);
}

static void test_header_reads_back(void)
{
	uint8_t buf[XLITE_SAVE_HEADER_LEN];
	struct xlite_save_header h;
	char *err = NULL;

	encode_sample(buf);
	g_assert_cmpmem(buf, 8, XLITE_SAVE_MAGIC, 8);
	g_assert_cmpint(xlite_save_header_decode(buf, sizeof(buf), &h, &err), ==, 0);
	g_assert_null(err);
	g_assert_cmpuint(h.version, ==, 1);
	g_assert_cmpuint(h.xml_len, ==, 100);
	g_assert_cmpuint(h.xml_crc, ==, 0x1234);
	g_assert_cmpuint(h.saved_at, ==, 1700000000);
	g_assert_cmpuint(h.mem_kib, ==, 163840);
}

static void test_header_refusals_say_why(void)
{
	uint8_t buf[XLITE_SAVE_HEADER_LEN], bad[XLITE_SAVE_HEADER_LEN];
	size_t n;

	encode_sample(buf);
	assert_refused(buf, 0, "empty file");
	memcpy(bad, buf, sizeof(bad));
	memcpy(bad, "Xen save", 8);
	assert_refused(bad, sizeof(bad), "not an xlite save file");
	for (n = 1; n < XLITE_SAVE_HEADER_LEN; n++)
		assert_refused(buf, n, n < 8 ? "not an xlite save file" : "truncated");
	memcpy(bad, buf, sizeof(bad));
	bad[8] = 2;
	assert_refused(bad, sizeof(bad), "format version 2, this xlite reads version 1");
	memcpy(bad, buf, sizeof(bad));
	bad[12] = 80;
	assert_refused(bad, sizeof(bad), "header length 80");
	/* Any other byte of the header: its checksum catches it. */
	for (n = 16; n < XLITE_SAVE_HEADER_LEN; n++) {
		memcpy(bad, buf, sizeof(bad));
		bad[n] ^= 0x40;
		assert_refused(bad, sizeof(bad), "damaged header");
	}
}

static void test_header_checks_its_fields(void)
{
	struct xlite_save_header h = { XLITE_SAVE_VERSION, 0, 0, 0, 0, 0 };
	uint8_t buf[XLITE_SAVE_HEADER_LEN];

	xlite_save_header_encode(&h, buf);
	assert_refused(buf, sizeof(buf), "domain XML of 0 bytes");
	h.xml_len = XLITE_SAVE_XML_MAX + 1;
	xlite_save_header_encode(&h, buf);
	assert_refused(buf, sizeof(buf), "domain XML of");
	h.xml_len = 10;
	h.flags = 4;
	xlite_save_header_encode(&h, buf);
	assert_refused(buf, sizeof(buf), "flags 0x4");
}

static void test_trailer_and_chunks(void)
{
	struct xlite_save_trailer t = { 5000, 6000, 0xabcdef01 };
	uint8_t buf[XLITE_SAVE_TRAILER_LEN], head[4];
	uint32_t len;
	char *err = NULL;

	xlite_save_trailer_encode(&t, buf);
	g_assert_cmpint(xlite_save_trailer_check(buf, 5000, 0xabcdef01, 6000 - 32, &err), ==, 0);
	g_assert_cmpint(xlite_save_trailer_check(buf, 5000, 0xabcdef00, 6000 - 32, &err), ==,
			-EINVAL);
	g_assert_nonnull(strstr(err, "corrupted: checksum"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_save_trailer_check(buf, 4999, 0xabcdef01, 6000 - 32, &err), ==,
			-EINVAL);
	g_assert_nonnull(strstr(err, "4999"));
	g_clear_pointer(&err, g_free);
	buf[0] = 'Y';
	g_assert_cmpint(xlite_save_trailer_check(buf, 5000, 0xabcdef01, 6000 - 32, &err), ==,
			-EINVAL);
	g_assert_nonnull(strstr(err, "no end marker"));
	g_clear_pointer(&err, g_free);

	xlite_save_chunk_head_encode(XLITE_SAVE_CHUNK_MAX, head);
	g_assert_cmpint(xlite_save_chunk_head_decode(head, 64, &len, &err), ==, 0);
	g_assert_cmpuint(len, ==, XLITE_SAVE_CHUNK_MAX);
	xlite_save_chunk_head_encode(XLITE_SAVE_CHUNK_MAX + 1, head);
	g_assert_cmpint(xlite_save_chunk_head_decode(head, 64, &len, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "at byte 64"));
	g_free(err);
}

/* ---- the stream, written and read through the pumps ------------------- */

static uint8_t stream_byte(size_t i)
{
	return (uint8_t)(i * 7 + i / 4096);
}

struct seen {
	unsigned int calls, finals;
	uint64_t last;
};

static void on_progress(const struct xlite_save_progress *p, void *opaque)
{
	struct seen *s = opaque;

	s->calls++;
	s->finals += p->final;
	g_assert_cmpuint(p->done, >=, s->last);
	s->last = p->done;
}

/* A save file of STREAM_LEN bytes of stream in a temporary file; its bytes. */
static GBytes *write_file(size_t stream_len, struct seen *seen)
{
	struct xlite_save_writer w;
	struct xlite_save_header h = { 0 };
	char path[] = "/tmp/test-save-format-XXXXXX";
	uint8_t *data = g_malloc(stream_len ? stream_len : 1);
	char *err = NULL, *contents = NULL;
	gsize len = 0;
	int fd = g_mkstemp(path), sfd = -1;
	size_t i;

	g_assert_cmpint(fd, >=, 0);
	for (i = 0; i < stream_len; i++)
		data[i] = stream_byte(i);
	xlite_save_writer_init(&w, fd);
	w.pump.progress = on_progress;
	w.pump.progress_opaque = seen;
	w.pump.progress_ms = 1;
	g_assert_cmpint(xlite_save_writer_begin(&w, &h, XML, &err), ==, 0);
	g_assert_cmpint(xlite_save_writer_start(&w, &sfd, &err), ==, 0);
	/* As libxenguest writes: in pieces of any size. */
	for (i = 0; i < stream_len; i += 3000)
		g_assert_cmpint(write(sfd, data + i, MIN(3000, stream_len - i)), ==,
				(ssize_t)MIN(3000, stream_len - i));
	g_assert_cmpint(xlite_save_writer_finish(&w, true, &err), ==, 0);
	g_assert_null(err);
	g_assert_cmpuint(w.stream_len, ==, stream_len);
	xlite_save_writer_dispose(&w);
	close(fd);
	g_assert_true(g_file_get_contents(path, &contents, &len, NULL));
	unlink(path);
	g_free(data);
	return g_bytes_new_take(contents, len);
}

/* Reads BUF as a save file through a reader: 0 or -errno with *err. */
static int read_buf(const uint8_t *buf, size_t len, bool pump, GByteArray *out, char **err)
{
	struct xlite_save_reader r;
	char path[] = "/tmp/test-save-format-XXXXXX";
	int fd = g_mkstemp(path), sfd = -1, rc;

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, buf, len), ==, (ssize_t)len);
	g_assert_cmpint(lseek(fd, 0, SEEK_SET), ==, 0);
	unlink(path);
	xlite_save_reader_init(&r, fd);
	rc = xlite_save_reader_begin(&r, err);
	if (rc == 0 && !pump)
		rc = xlite_save_reader_verify(&r, err);
	if (rc == 0 && pump) {
		uint8_t chunk[65536];
		ssize_t n;

		g_assert_cmpint(xlite_save_reader_start(&r, &sfd, err), ==, 0);
		while ((n = read(sfd, chunk, sizeof(chunk))) > 0)
			g_byte_array_append(out, chunk, (guint)n);
		rc = xlite_save_reader_finish(&r, err);
	}
	if (rc == 0)
		g_assert_cmpstr(r.xml, ==, XML);
	xlite_save_reader_dispose(&r);
	close(fd);
	return rc;
}

static void test_stream_reads_back(void)
{
	struct seen seen = { 0 };
	size_t n = 3 * 1024 * 1024 + 17, i;
	GBytes *file = write_file(n, &seen);
	GByteArray *out = g_byte_array_new();
	gsize len;
	const uint8_t *p = g_bytes_get_data(file, &len);
	char *err = NULL;

	g_assert_cmpuint(seen.finals, ==, 1);
	g_assert_cmpuint(seen.last, ==, n);
	if (read_buf(p, len, false, NULL, &err) < 0)
		g_error("verify: %s", err);
	if (read_buf(p, len, true, out, &err) < 0)
		g_error("pump: %s", err);
	g_assert_null(err);
	g_assert_cmpuint(out->len, ==, n);
	for (i = 0; i < n; i++)
		if (out->data[i] != stream_byte(i))
			g_error("byte %zu differs", i);
	g_byte_array_unref(out);
	g_bytes_unref(file);
}

static void expect_refused(const uint8_t *buf, size_t len, const char *what, const char *why)
{
	GByteArray *out = g_byte_array_new();
	char *err = NULL;
	int rc;

	rc = read_buf(buf, len, false, NULL, &err);
	if (rc == 0 || !err || !strstr(err, why))
		g_error("%s: verify: expected '%s', got %d '%s'", what, why, rc, err);
	g_clear_pointer(&err, g_free);
	rc = read_buf(buf, len, true, out, &err);
	if (rc == 0 || !err || !strstr(err, why))
		g_error("%s: pump: expected '%s', got %d '%s'", what, why, rc, err);
	g_free(err);
	g_byte_array_unref(out);
}

static void test_cut_anywhere_is_truncated(void)
{
	struct seen seen = { 0 };
	GBytes *file = write_file(200000, &seen);
	gsize len, cut;
	const uint8_t *p = g_bytes_get_data(file, &len);

	for (cut = XLITE_SAVE_HEADER_LEN; cut < len; cut += cut < 160 ? 1 : 1499) {
		char what[64];

		snprintf(what, sizeof(what), "cut at %zu", cut);
		expect_refused(p, cut, what, "truncated");
	}
	expect_refused(p, len - 1, "cut in the trailer", "truncated: it ends at byte");
	g_bytes_unref(file);
}

static void test_a_byte_changed_anywhere_is_refused(void)
{
	struct seen seen = { 0 };
	GBytes *file = write_file(100000, &seen);
	gsize len, at;
	const uint8_t *p = g_bytes_get_data(file, &len);
	uint8_t *copy = g_memdup2(p, len);
	uint8_t *longer = g_malloc(len + 1);

	for (at = 0; at < len; at += at < 160 ? 1 : 1009) {
		char what[64];

		copy[at] ^= 0x5a;
		snprintf(what, sizeof(what), "byte %zu changed", at);
		/* Each says what it is: a damaged header, a corrupted XML or
		 * stream, a chunk length, a trailer. */
		expect_refused(copy, len, what, at < 8 ? "not an xlite save file" :
			       at < 12 ? "format version" : at < 64 ? "damaged header" : "");
		copy[at] ^= 0x5a;
	}
	memcpy(longer, p, len);
	longer[len] = 0;
	expect_refused(longer, len + 1, "a byte added", "more data after the trailer");
	g_free(longer);
	g_free(copy);
	g_bytes_unref(file);
}

/* Reads FD from its start as a file checked before (CHECKED) or not. */
static int verify_fd(int fd, bool checked, char **err)
{
	struct xlite_save_reader r;
	int rc;

	g_assert_cmpint(lseek(fd, 0, SEEK_SET), ==, 0);
	xlite_save_reader_init(&r, fd);
	r.checked = checked;
	rc = xlite_save_reader_begin(&r, err);
	if (rc == 0)
		rc = xlite_save_reader_verify(&r, err);
	xlite_save_reader_dispose(&r);
	return rc;
}

/* A file read whole and checked once is read again without a second
 * checksum pass: its framing and lengths are still checked. */
static void test_second_pass_checks_framing_not_checksum(void)
{
	struct seen seen = { 0 };
	GBytes *file = write_file(50000, &seen);
	gsize len;
	const uint8_t *data = g_bytes_get_data(file, &len);
	uint8_t *copy = g_memdup2(data, len);
	char path[] = "/tmp/test-save-format-XXXXXX";
	int fd = g_mkstemp(path);
	char *err = NULL;

	g_assert_cmpint(fd, >=, 0);
	unlink(path);
	copy[len - 8] ^= 1;	/* the trailer's CRC */
	g_assert_cmpint(write(fd, copy, len - 1), ==, (ssize_t)len - 1);
	/* Cut: both passes see it. */
	g_assert_cmpint(verify_fd(fd, false, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "truncated"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(verify_fd(fd, true, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "truncated"));
	g_clear_pointer(&err, g_free);
	/* Whole, with a wrong checksum: only the first pass looks at it. */
	g_assert_cmpint(write(fd, copy + len - 1, 1), ==, 1);
	g_assert_cmpint(verify_fd(fd, false, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "corrupted: checksum"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(verify_fd(fd, true, &err), ==, 0);
	close(fd);
	g_free(copy);
	g_bytes_unref(file);
}

static void test_writer_reports_a_failed_write(void)
{
	struct xlite_save_writer w;
	struct xlite_save_header h = { 0 };
	char *err = NULL;
	int fd = open("/dev/full", O_WRONLY | O_CLOEXEC), sfd = -1, pfd[2];
	uint8_t data[65536] = { 0 };

	if (fd < 0) {
		g_test_skip("no /dev/full");
		return;
	}
	xlite_save_writer_init(&w, fd);
	g_assert_cmpint(xlite_save_writer_begin(&w, &h, XML, &err), ==, -ENOSPC);
	g_clear_pointer(&err, g_free);
	xlite_save_writer_dispose(&w);
	close(fd);

	/* The pump's descriptor fails half way (a reader that went away). */
	g_assert_cmpint(pipe(pfd), ==, 0);
	xlite_save_writer_init(&w, pfd[1]);
	g_assert_cmpint(xlite_save_writer_begin(&w, &h, XML, &err), ==, 0);
	close(pfd[0]);
	g_assert_cmpint(xlite_save_writer_start(&w, &sfd, &err), ==, 0);
	/* libxenguest's writes fail with EPIPE once the pump gave up. */
	while (write(sfd, data, sizeof(data)) > 0)
		;
	g_assert_cmpint(errno, ==, EPIPE);
	g_assert_cmpint(xlite_save_writer_finish(&w, true, &err), ==, -EPIPE);
	g_assert_nonnull(strstr(err, "Broken pipe"));
	g_free(err);
	xlite_save_writer_dispose(&w);
	close(pfd[1]);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/save/format/header-reads-back", test_header_reads_back);
	g_test_add_func("/save/format/header-refusals-say-why", test_header_refusals_say_why);
	g_test_add_func("/save/format/header-checks-its-fields", test_header_checks_its_fields);
	g_test_add_func("/save/format/trailer-and-chunks", test_trailer_and_chunks);
	g_test_add_func("/save/stream/reads-back", test_stream_reads_back);
	g_test_add_func("/save/stream/cut-anywhere-is-truncated", test_cut_anywhere_is_truncated);
	g_test_add_func("/save/stream/a-byte-changed-anywhere-is-refused",
			test_a_byte_changed_anywhere_is_refused);
	g_test_add_func("/save/stream/second-pass-checks-framing-not-checksum",
			test_second_pass_checks_framing_not_checksum);
	g_test_add_func("/save/stream/writer-reports-a-failed-write",
			test_writer_reports_a_failed_write);
	return g_test_run();
}
