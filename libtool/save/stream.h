/* Writing and reading the save format (format.h) on any file descriptor:
 * a file, a pipe or a socket (migration sends the same stream). Between
 * libxenguest and the descriptor sits a pump thread and a pipe: what
 * xc_domain_save writes is framed in chunks, counted (progress) and
 * checksummed on its way out; what comes in is checked and unframed on
 * its way to xc_domain_restore. Nothing here knows about domains. */
#ifndef XLITE_SAVE_STREAM_H
#define XLITE_SAVE_STREAM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/save/format.h"

/* Where a stream is: bytes of libxenguest's stream so far, the expected
 * total (0: unknown), seconds since it started. */
struct xlite_save_progress {
	uint64_t done, total;
	double elapsed_s;
	bool final;			/* the last report of this stream */
};
typedef void xlite_save_progress_fn(const struct xlite_save_progress *p, void *opaque);

/* The pump of one stream, writer's or reader's. */
struct xlite_save_pump {
	GThread *thread;
	int pipe_rd, pipe_wr;		/* -1 when closed */
	int rc;				/* the pump's result, with err */
	char *err;
	uint64_t total;			/* expected stream bytes, for progress */
	gint64 t0;
	int progress_ms;		/* between reports; 0: 250 */
	xlite_save_progress_fn *progress;
	void *progress_opaque;
	uint64_t done;			/* stream bytes moved (the pump's own) */
	sigset_t old_mask;		/* the caller's, while SIGPIPE is held */
	bool mask_saved;
	/* Test hook (--enable-test-hooks builds only): the pump stops after
	 * this many bytes until the file STOP_FILE is gone (0: never). */
	uint64_t stop_at;
	char *stop_file;
};

struct xlite_save_writer {
	int fd;				/* not owned */
	uint64_t offset;		/* bytes written to FD */
	uint32_t crc;
	uint64_t stream_len;
	struct xlite_save_pump pump;
};

void xlite_save_writer_init(struct xlite_save_writer *w, int fd);
void xlite_save_writer_dispose(struct xlite_save_writer *w);
/* Writes the header (H's version, xml_len and xml_crc are filled in) and
 * XML. 0, or -errno with *err. */
int xlite_save_writer_begin(struct xlite_save_writer *w, struct xlite_save_header *h,
			    const char *xml, char **err);
/* Starts the pump: *STREAM_FD is where libxenguest writes (the pump owns
 * it; do not close it). SIGPIPE is held in the calling thread until
 * finish, so that a write to a pump that gave up fails with EPIPE. */
int xlite_save_writer_start(struct xlite_save_writer *w, int *stream_fd, char **err);
/* Ends the stream: waits for the pump and, when STREAM_OK and the pump
 * wrote everything, writes the end chunk and the trailer. 0, or the
 * pump's -errno with *err (why it could not write). */
int xlite_save_writer_finish(struct xlite_save_writer *w, bool stream_ok, char **err);

struct xlite_save_reader {
	int fd;				/* not owned */
	uint64_t offset;		/* bytes read from FD */
	uint32_t crc;
	uint64_t stream_len;
	struct xlite_save_header header;
	char *xml;			/* NUL-terminated, after begin */
	/* Read whole and checked before (a file): this pass checks the
	 * framing and lengths again, not the checksum (one CRC pass less). */
	bool checked;
	/* More comes after the trailer on FD (a migration's replies): the
	 * reader stops at the trailer instead of checking for the end. */
	bool more_follows;
	struct xlite_save_pump pump;
};

void xlite_save_reader_init(struct xlite_save_reader *r, int fd);
void xlite_save_reader_dispose(struct xlite_save_reader *r);
/* Reads and checks the header and the domain XML. 0, or -EINVAL with *err
 * (not a save file, wrong version, damaged, truncated) or -errno. */
int xlite_save_reader_begin(struct xlite_save_reader *r, char **err);
/* Reads the rest (the chunks and the trailer) and checks it, keeping
 * nothing: a file is checked whole before anything is made from it. */
int xlite_save_reader_verify(struct xlite_save_reader *r, char **err);
/* Starts the pump: *STREAM_FD is where libxenguest reads the stream (the
 * pump owns it). */
int xlite_save_reader_start(struct xlite_save_reader *r, int *stream_fd, char **err);
/* Waits for the pump: 0 once it read everything up to a good trailer, or
 * its -errno with *err. */
int xlite_save_reader_finish(struct xlite_save_reader *r, char **err);

#endif
