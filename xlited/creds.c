/* xlited's credentials, made at first start in the state directory: an
 * ECDSA P-256 key (0600), a self-signed certificate for it naming the
 * host, localhost and the loopback addresses, and the API's bearer token
 * (32 random bytes as hex, 0600). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <glib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "libtool/util/fail.h"
#include "xlited/xlited.h"

#define TOKEN_BYTES 32
#define CERT_DAYS 3650

bool xlited_token_equal(const char *given, size_t len, const char *expected)
{
	size_t n = strlen(expected), i;
	unsigned char diff = len != n;

	for (i = 0; i < n; i++)
		diff |= (unsigned char)(expected[i] ^ (i < len ? given[i] : 0));
	return diff == 0;
}

const char *xlited_bearer(const char *value, size_t *len)
{
	const char *p;

	if (!value || g_ascii_strncasecmp(value, "Bearer ", 7) != 0)
		return NULL;
	for (p = value + 7; *p == ' '; p++)
		;
	*len = strlen(p);
	while (*len > 0 && (p[*len - 1] == ' ' || p[*len - 1] == '\t'))
		(*len)--;
	return *len ? p : NULL;
}

/* Writes CONTENT to PATH with MODE, atomically (a temporary file, then
 * rename): a crash leaves the old file or the new one. */
static int write_file(const char *path, const char *content, mode_t mode, char **err)
{
	g_autofree char *tmp = g_strdup_printf("%s.tmp", path);
	size_t len = strlen(content), off = 0;
	int fd, rc = 0;

	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return xlite_fail(err, -errno, "creating %s: %s", tmp, g_strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, content + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rc = xlite_fail(err, -errno, "writing %s: %s", tmp, g_strerror(errno));
			break;
		}
		off += (size_t)w;
	}
	if (rc == 0 && fsync(fd) < 0)
		rc = xlite_fail(err, -errno, "writing %s: %s", tmp, g_strerror(errno));
	close(fd);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = xlite_fail(err, -errno, "renaming %s: %s", tmp, g_strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* PATH's content, refused when it is not a regular file of ours or when
 * SECRET and others than its owner may read it. 0, -ENOENT (missing), or
 * -errno with *err. */
static int read_file(const char *path, bool secret, char **content, char **err)
{
	g_autoptr(GError) gerr = NULL;
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return xlite_fail(err, -errno, "%s: %s", path, g_strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return xlite_fail(err, -EINVAL, "%s: not a regular file", path);
	if (st.st_uid != geteuid())
		return xlite_fail(err, -EPERM, "%s: owned by uid %u, not by xlited's uid %u", path,
				  (unsigned int)st.st_uid, (unsigned int)geteuid());
	if (secret && (st.st_mode & 077))
		return xlite_fail(err, -EPERM, "%s: mode %04o lets others read it, "
				  "expected 0600 (chmod 600 %s)", path,
				  (unsigned int)(st.st_mode & 07777), path);
	if (!g_file_get_contents(path, content, NULL, &gerr))
		return xlite_fail(err, -EIO, "%s", gerr->message);
	return 0;
}

#define GNUTLS_TRY(call, what)                                                           \
	do {                                                                             \
		int r_ = (call);                                                         \
		if (r_ < 0) {                                                            \
			rc = xlite_fail(err, -EIO, "%s: %s", (what), gnutls_strerror(r_)); \
			goto out;                                                        \
		}                                                                        \
	} while (0)

static int add_ip(gnutls_x509_crt_t crt, const char *addr)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, addr, buf) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, buf, 4,
							    GNUTLS_FSAN_APPEND);
	if (inet_pton(AF_INET6, addr, buf) == 1)
		return gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, buf, 16,
							    GNUTLS_FSAN_APPEND);
	return 0;
}

/* A new key and its self-signed certificate, as PEM. */
static int make_cert(const char *listen, char **key_pem, char **cert_pem, char **err)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t kd = { NULL, 0 }, cd = { NULL, 0 };
	unsigned char serial[16];
	char host[256] = "localhost";
	time_t now = time(NULL);
	int rc = 0;

	if (gethostname(host, sizeof(host) - 1) < 0 || !host[0])
		g_strlcpy(host, "localhost", sizeof(host));
	GNUTLS_TRY(gnutls_x509_privkey_init(&key), "making a key");
	GNUTLS_TRY(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA,
						GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
		   "making a key");
	GNUTLS_TRY(gnutls_x509_crt_init(&crt), "making a certificate");
	GNUTLS_TRY(gnutls_x509_crt_set_version(crt, 3), "certificate version");
	GNUTLS_TRY(gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof(serial)), "certificate serial");
	serial[0] &= 0x7f;	/* a positive number */
	GNUTLS_TRY(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), "certificate serial");
	GNUTLS_TRY(gnutls_x509_crt_set_activation_time(crt, now - 3600), "certificate dates");
	GNUTLS_TRY(gnutls_x509_crt_set_expiration_time(crt, now + (time_t)CERT_DAYS * 86400),
		   "certificate dates");
	GNUTLS_TRY(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, host,
						 (unsigned int)strlen(host)), "certificate name");
	GNUTLS_TRY(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0,
						 "xlited", 6), "certificate name");
	GNUTLS_TRY(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME, host,
							(unsigned int)strlen(host),
							GNUTLS_FSAN_APPEND), "certificate names");
	if (strcmp(host, "localhost") != 0)
		GNUTLS_TRY(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_DNSNAME,
								"localhost", 9,
								GNUTLS_FSAN_APPEND),
			   "certificate names");
	GNUTLS_TRY(add_ip(crt, "127.0.0.1"), "certificate addresses");
	GNUTLS_TRY(add_ip(crt, "::1"), "certificate addresses");
	if (strcmp(listen, "127.0.0.1") != 0 && strcmp(listen, "::1") != 0 &&
	    strcmp(listen, "0.0.0.0") != 0 && strcmp(listen, "::") != 0)
		GNUTLS_TRY(add_ip(crt, listen), "certificate addresses");
	/* Its own trust anchor: clients pin it (curl --cacert, a browser's
	 * exception, a peer's fingerprint). */
	GNUTLS_TRY(gnutls_x509_crt_set_basic_constraints(crt, 1, 0), "certificate constraints");
	GNUTLS_TRY(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
						 GNUTLS_KEY_KEY_CERT_SIGN), "certificate key usage");
	GNUTLS_TRY(gnutls_x509_crt_set_key_purpose_oid(crt, GNUTLS_KP_TLS_WWW_SERVER, 0),
		   "certificate purpose");
	GNUTLS_TRY(gnutls_x509_crt_set_key(crt, key), "certificate key");
	GNUTLS_TRY(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0), "signing");
	GNUTLS_TRY(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &kd), "key export");
	GNUTLS_TRY(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &cd), "certificate export");
	*key_pem = g_strndup((const char *)kd.data, kd.size);
	*cert_pem = g_strndup((const char *)cd.data, cd.size);
out:
	gnutls_free(kd.data);
	gnutls_free(cd.data);
	if (crt)
		gnutls_x509_crt_deinit(crt);
	if (key)
		gnutls_x509_privkey_deinit(key);
	return rc;
}

/* "AB:CD:..." SHA-256 of the certificate, for peers to pin. */
static char *fingerprint(const char *cert_pem, char **err)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t d = { (unsigned char *)(uintptr_t)cert_pem, (unsigned int)strlen(cert_pem) };
	unsigned char fp[32];
	size_t fp_len = sizeof(fp), i;
	GString *s = NULL;
	int rc = 0;

	GNUTLS_TRY(gnutls_x509_crt_init(&crt), "reading the certificate");
	GNUTLS_TRY(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), "reading the certificate");
	GNUTLS_TRY(gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA256, fp, &fp_len),
		   "the certificate's fingerprint");
	s = g_string_new("");
	for (i = 0; i < fp_len; i++)
		g_string_append_printf(s, "%s%02X", i ? ":" : "", fp[i]);
out:
	if (crt)
		gnutls_x509_crt_deinit(crt);
	return rc < 0 ? NULL : g_string_free(s, FALSE);
}

static int make_token(char **token, char **err)
{
	unsigned char raw[TOKEN_BYTES];
	GString *s;
	size_t i;
	int r = gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof(raw));

	if (r < 0)
		return xlite_fail(err, -EIO, "making the API token: %s", gnutls_strerror(r));
	s = g_string_sized_new(2 * TOKEN_BYTES + 2);
	for (i = 0; i < sizeof(raw); i++)
		g_string_append_printf(s, "%02x", raw[i]);
	g_string_append_c(s, '\n');
	memset(raw, 0, sizeof(raw));
	*token = g_string_free(s, FALSE);
	return 0;
}

int xlited_creds_load(struct xlited *d, const char *state_dir, char **err)
{
	g_autofree char *key_path = g_build_filename(state_dir, XLITED_KEY_FILE, NULL);
	g_autofree char *cert_path = g_build_filename(state_dir, XLITED_CERT_FILE, NULL);
	g_autofree char *token_path = g_build_filename(state_dir, XLITED_TOKEN_FILE, NULL);
	int rc, rk, rcert;

	if (g_mkdir_with_parents(state_dir, 0700) < 0)
		return xlite_fail(err, -errno, "creating %s: %s", state_dir, g_strerror(errno));
	rk = read_file(key_path, true, &d->key_pem, err);
	if (rk < 0 && rk != -ENOENT)
		return rk;
	rcert = read_file(cert_path, false, &d->cert_pem, err);
	if (rcert < 0 && rcert != -ENOENT)
		return rcert;
	if (rk == -ENOENT || rcert == -ENOENT) {
		g_clear_pointer(&d->key_pem, g_free);
		g_clear_pointer(&d->cert_pem, g_free);
		rc = make_cert(d->conf.listen, &d->key_pem, &d->cert_pem, err);
		if (rc == 0)
			rc = write_file(key_path, d->key_pem, 0600, err);
		if (rc == 0)
			rc = write_file(cert_path, d->cert_pem, 0644, err);
		if (rc < 0)
			return rc;
		g_message("made a self-signed certificate: %s", cert_path);
	}
	rc = read_file(token_path, true, &d->token, err);
	if (rc == -ENOENT) {
		rc = make_token(&d->token, err);
		if (rc == 0)
			rc = write_file(token_path, d->token, 0600, err);
		if (rc == 0)
			g_message("made the API token: %s", token_path);
	}
	if (rc < 0)
		return rc;
	g_strstrip(d->token);
	if (strlen(d->token) < 32)
		return xlite_fail(err, -EINVAL, "%s: the token is too short (%zu characters, "
				  "at least 32); remove the file to make a new one", token_path,
				  strlen(d->token));
	d->fingerprint = fingerprint(d->cert_pem, err);
	return d->fingerprint ? 0 : -EIO;
}

void xlited_creds_dispose(struct xlited *d)
{
	if (d->token)
		memset(d->token, 0, strlen(d->token));
	if (d->key_pem)
		memset(d->key_pem, 0, strlen(d->key_pem));
	g_clear_pointer(&d->token, g_free);
	g_clear_pointer(&d->key_pem, g_free);
	g_clear_pointer(&d->cert_pem, g_free);
	g_clear_pointer(&d->fingerprint, g_free);
}
