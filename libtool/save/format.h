/* The xlite save file (and stream): libxenguest's stream of a domain with
 * its domain XML, framed so that any reader (a file, a pipe, a socket)
 * knows where each part ends and can tell a damaged file from a good one.
 *
 *   header   64 bytes: magic "XLITESAV", format version, header length,
 *            flags, XML length and CRC-32, save time, memory, header CRC
 *   XML      the domain XML (xml_len bytes, UTF-8, no NUL)
 *   chunks   libxenguest's stream as it came, in chunks: a 32-bit length
 *            then that many bytes; a chunk of length 0 ends the stream
 *   trailer  32 bytes: magic "XLITEEND", the stream's length, the file's
 *            length, and the CRC-32 of every byte before the trailer
 *
 * Integers are little-endian. Pure: encoding, decoding and the checks,
 * no I/O (stream.c reads and writes). */
#ifndef XLITE_SAVE_FORMAT_H
#define XLITE_SAVE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define XLITE_SAVE_MAGIC "XLITESAV"
#define XLITE_SAVE_END_MAGIC "XLITEEND"
#define XLITE_SAVE_VERSION 1u
#define XLITE_SAVE_HEADER_LEN 64u
#define XLITE_SAVE_TRAILER_LEN 32u
#define XLITE_SAVE_CHUNK_HEAD 4u
#define XLITE_SAVE_CHUNK_MAX (4u << 20)	/* larger: the file is damaged */
#define XLITE_SAVE_XML_MAX (1u << 20)	/* a domain XML is a few KiB */

struct xlite_save_header {
	uint32_t version;
	uint32_t flags;			/* 0 in version 1 */
	uint32_t xml_len, xml_crc;
	uint64_t saved_at;		/* seconds since the epoch */
	uint64_t mem_kib;		/* the domain's memory when saved (progress) */
};

struct xlite_save_trailer {
	uint64_t stream_len;		/* the chunks' payload, in bytes */
	uint64_t total_len;		/* the whole file, trailer included */
	uint32_t crc;			/* CRC-32 of everything before the trailer */
};

/* CRC-32 (zlib's, the polynomial of gzip and PNG) of LEN bytes after CRC;
 * start with 0. */
uint32_t xlite_save_crc(uint32_t crc, const void *buf, size_t len);

void xlite_save_header_encode(const struct xlite_save_header *h,
			      uint8_t out[XLITE_SAVE_HEADER_LEN]);
/* LEN bytes read from the start of a file: 0 with *H, or -EINVAL with *err
 * saying what is wrong (not a save file, a version this xlite does not
 * read, a damaged header, truncated). */
int xlite_save_header_decode(const uint8_t *buf, size_t len, struct xlite_save_header *h,
			     char **err);

void xlite_save_trailer_encode(const struct xlite_save_trailer *t,
			       uint8_t out[XLITE_SAVE_TRAILER_LEN]);
/* The trailer, checked against what the reader counted: STREAM_LEN bytes
 * of stream, CRC of everything before it (XLITE_SAVE_CRC_CHECKED: checked
 * by an earlier pass, not again), OFFSET where it starts. 0, or -EINVAL
 * with *err. */
#define XLITE_SAVE_CRC_CHECKED UINT64_MAX
int xlite_save_trailer_check(const uint8_t buf[XLITE_SAVE_TRAILER_LEN], uint64_t stream_len,
			     uint64_t crc, uint64_t offset, char **err);

void xlite_save_chunk_head_encode(uint32_t len, uint8_t out[XLITE_SAVE_CHUNK_HEAD]);
/* A chunk's length; -EINVAL with *err when above XLITE_SAVE_CHUNK_MAX
 * (OFFSET: where the chunk starts, for the message). */
int xlite_save_chunk_head_decode(const uint8_t buf[XLITE_SAVE_CHUNK_HEAD], uint64_t offset,
				 uint32_t *len, char **err);

#endif
