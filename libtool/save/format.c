/* The save file's header, chunk heads and trailer (see format.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>

#include "libtool/save/format.h"

uint32_t xlite_save_crc(uint32_t crc, const void *buf, size_t len)
{
	return (uint32_t)crc32_z(crc, buf, len);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Header layout: magic 0, version 8, header_len 12, flags 16, xml_len 20,
 * xml_crc 24, reserved 28, saved_at 32, mem_kib 40, reserved 48-59,
 * header CRC 60 (of bytes 0-59). */
void xlite_save_header_encode(const struct xlite_save_header *h,
			      uint8_t out[XLITE_SAVE_HEADER_LEN])
{
	memset(out, 0, XLITE_SAVE_HEADER_LEN);
	memcpy(out, XLITE_SAVE_MAGIC, 8);
	put32(out + 8, h->version);
	put32(out + 12, XLITE_SAVE_HEADER_LEN);
	put32(out + 16, h->flags);
	put32(out + 20, h->xml_len);
	put32(out + 24, h->xml_crc);
	put64(out + 32, h->saved_at);
	put64(out + 40, h->mem_kib);
	put32(out + 60, xlite_save_crc(0, out, 60));
}

int xlite_save_header_decode(const uint8_t *buf, size_t len, struct xlite_save_header *h,
			     char **err)
{
	uint32_t hlen;

	memset(h, 0, sizeof(*h));
	if (len < 8 || memcmp(buf, XLITE_SAVE_MAGIC, 8) != 0) {
		*err = g_strdup(len == 0 ? "empty file, not an xlite save file" :
				"not an xlite save file (no XLITESAV magic at the start)");
		return -EINVAL;
	}
	if (len < 16) {
		*err = g_strdup_printf("truncated: %zu bytes, the header alone is %u", len,
				       XLITE_SAVE_HEADER_LEN);
		return -EINVAL;
	}
	h->version = get32(buf + 8);
	if (h->version != XLITE_SAVE_VERSION) {
		*err = g_strdup_printf("format version %" PRIu32 ", this xlite reads version %u"
				       " only", h->version, XLITE_SAVE_VERSION);
		return -EINVAL;
	}
	hlen = get32(buf + 12);
	if (hlen != XLITE_SAVE_HEADER_LEN) {
		*err = g_strdup_printf("damaged header: header length %" PRIu32 ", version %u's"
				       " is %u", hlen, XLITE_SAVE_VERSION, XLITE_SAVE_HEADER_LEN);
		return -EINVAL;
	}
	if (len < XLITE_SAVE_HEADER_LEN) {
		*err = g_strdup_printf("truncated: %zu bytes, the header alone is %u", len,
				       XLITE_SAVE_HEADER_LEN);
		return -EINVAL;
	}
	if (get32(buf + 60) != xlite_save_crc(0, buf, 60)) {
		*err = g_strdup("damaged header: its checksum does not match");
		return -EINVAL;
	}
	h->flags = get32(buf + 16);
	h->xml_len = get32(buf + 20);
	h->xml_crc = get32(buf + 24);
	h->saved_at = get64(buf + 32);
	h->mem_kib = get64(buf + 40);
	if (h->flags != 0) {
		*err = g_strdup_printf("header has flags 0x%" PRIx32 " this xlite does not know",
				       h->flags);
		return -EINVAL;
	}
	if (h->xml_len == 0 || h->xml_len > XLITE_SAVE_XML_MAX) {
		*err = g_strdup_printf("damaged header: domain XML of %" PRIu32 " bytes (1 to %u"
				       " expected)", h->xml_len, XLITE_SAVE_XML_MAX);
		return -EINVAL;
	}
	return 0;
}

/* Trailer layout: magic 0, stream_len 8, total_len 16, crc 24, reserved 28. */
void xlite_save_trailer_encode(const struct xlite_save_trailer *t,
			       uint8_t out[XLITE_SAVE_TRAILER_LEN])
{
	memset(out, 0, XLITE_SAVE_TRAILER_LEN);
	memcpy(out, XLITE_SAVE_END_MAGIC, 8);
	put64(out + 8, t->stream_len);
	put64(out + 16, t->total_len);
	put32(out + 24, t->crc);
}

int xlite_save_trailer_check(const uint8_t buf[XLITE_SAVE_TRAILER_LEN], uint64_t stream_len,
			     uint64_t crc, uint64_t offset, char **err)
{
	if (memcmp(buf, XLITE_SAVE_END_MAGIC, 8) != 0) {
		*err = g_strdup_printf("damaged: no end marker at byte %" PRIu64, offset);
		return -EINVAL;
	}
	if (get64(buf + 8) != stream_len || get64(buf + 16) != offset + XLITE_SAVE_TRAILER_LEN) {
		*err = g_strdup_printf("damaged: the trailer says %" PRIu64 " bytes of stream in "
				       "%" PRIu64 " bytes, the file has %" PRIu64 " in %" PRIu64,
				       get64(buf + 8), get64(buf + 16), stream_len,
				       offset + XLITE_SAVE_TRAILER_LEN);
		return -EINVAL;
	}
	if (crc != XLITE_SAVE_CRC_CHECKED && get32(buf + 24) != crc) {
		*err = g_strdup_printf("corrupted: checksum 0x%08" PRIx32 " over its %" PRIu64
				       " bytes, the trailer says 0x%08" PRIx32, (uint32_t)crc, offset,
				       get32(buf + 24));
		return -EINVAL;
	}
	return 0;
}

void xlite_save_chunk_head_encode(uint32_t len, uint8_t out[XLITE_SAVE_CHUNK_HEAD])
{
	put32(out, len);
}

int xlite_save_chunk_head_decode(const uint8_t buf[XLITE_SAVE_CHUNK_HEAD], uint64_t offset,
				 uint32_t *len, char **err)
{
	*len = get32(buf);
	if (*len > XLITE_SAVE_CHUNK_MAX) {
		*err = g_strdup_printf("corrupted: a chunk of %" PRIu32 " bytes at byte %" PRIu64
				       " (at most %u are written)", *len, offset,
				       XLITE_SAVE_CHUNK_MAX);
		return -EINVAL;
	}
	return 0;
}
