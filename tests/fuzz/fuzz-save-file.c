/* libFuzzer target: what xlite makes of a save file (or a stream from a
 * socket): the input is the file. It is read as restore reads it: the
 * header and domain XML (xlite_save_reader_begin), then the chunks and
 * trailer, once checked whole (verify, as for a file) and once through
 * the pump thread into a pipe (as xc_domain_restore would read it).
 * Checked beyond the sanitizers: a refusal always says why; both ways
 * agree; an accepted file's XML is what its header says and its stream
 * is exactly the bytes the pump passed on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libtool/save/stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int input_fd(const uint8_t *data, size_t size)
{
	int fd = memfd_create("save-file", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

/* 0 or -errno; *stream_len what the reader counted, *passed what the
 * pump handed on. */
static int read_one(const uint8_t *data, size_t size, bool pump, uint64_t *stream_len,
		    uint64_t *passed)
{
	struct xlite_save_reader r;
	char *err = NULL;
	int fd = input_fd(data, size), sfd = -1, rc;

	*passed = 0;
	xlite_save_reader_init(&r, fd);
	rc = xlite_save_reader_begin(&r, &err);
	if (rc == 0) {
		if (strlen(r.xml) != r.header.xml_len)
			abort();
		if (!pump) {
			rc = xlite_save_reader_verify(&r, &err);
		} else if ((rc = xlite_save_reader_start(&r, &sfd, &err)) == 0) {
			uint8_t buf[65536];
			ssize_t n;

			while ((n = read(sfd, buf, sizeof(buf))) > 0)
				*passed += (uint64_t)n;
			rc = xlite_save_reader_finish(&r, &err);
		}
	}
	if (rc < 0 && (!err || !*err))
		abort();	/* a refusal always says why */
	if (rc == 0 && err)
		abort();
	*stream_len = r.stream_len;
	g_free(err);
	xlite_save_reader_dispose(&r);
	close(fd);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t len1, len2, passed1, passed2;
	int a = read_one(data, size, false, &len1, &passed1);
	int b = read_one(data, size, true, &len2, &passed2);

	if ((a == 0) != (b == 0))
		abort();	/* the check and the restore's reading agree */
	if (a == 0 && (len1 != len2 || passed2 != len2))
		abort();
	return 0;
}
