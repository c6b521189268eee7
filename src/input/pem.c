/*
 * PEM: every block of a file in order, text between blocks ignored.
 * OpenSSL's PEM reader does the parsing; we turn its failures into
 * messages that name the block, and go on to the next block.
 */
#include "input/input-int.h"

#include <limits.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

static int
header_encrypted(const char *header)
{
	return header != NULL && strstr(header, "Proc-Type:") != NULL &&
	    strstr(header, "ENCRYPTED") != NULL;
}

static int
same_kind(enum der_kind label, enum der_kind content)
{
	if (label == content)
		return 1;
	if ((label == DK_CERT || label == DK_CERT_AUX) &&
	    (content == DK_CERT || content == DK_CERT_AUX))
		return 1;
	return label == DK_ANY_PRIV && (content == DK_PKCS8 ||
	    content == DK_RSA_PRIV || content == DK_EC_PRIV ||
	    content == DK_DSA_PRIV);
}

/* Content wins over a wrong label; the objects get a note saying so. */
static enum der_kind
content_kind(struct blk *b, enum der_kind label, const unsigned char *der,
    long len)
{
	enum der_kind	 content;

	if (label == DK_UNKNOWN || label == DK_PARAMS ||
	    sniff_der(der, (size_t)len, &content) != SNIFF_OK ||
	    same_kind(label, content))
		return label;
	b->mislabel = der_kind_name(content);
	return content;
}

static int
pem_block(struct blk *b, const char *name, const char *header,
    unsigned char *data, long len)
{
	enum der_kind	 kind = pem_label_kind(name);

	if (header_encrypted(header))
		return decode_pem_encrypted(b, header, data, len);
	if (len == 0)
		return blk_error(b, "empty PEM block");
	kind = content_kind(b, kind, data, len);
	switch (kind) {
	case DK_UNKNOWN:
		if (strcmp(name, "OPENSSH PRIVATE KEY") == 0)
			return blk_error(b, "unsupported PEM label: OpenSSH "
			    "private keys are not X.509 material");
		return blk_error(b, "unsupported PEM label");
	case DK_PKCS12:
		return decode_pkcs12(b, data, (size_t)len);
	default:
		return decode_der_kind(b, kind, data, (size_t)len);
	}
}

/* Why PEM_read_bio_ex stopped; NULL at a clean end of input. */
static const char *
pem_failure(int blocks_seen, int *at_end)
{
	unsigned long	 e = ERR_peek_last_error();
	int		 reason = ERR_GET_REASON(e);

	*at_end = 0;
	if (ERR_GET_LIB(e) == ERR_LIB_PEM && reason == PEM_R_NO_START_LINE) {
		*at_end = 1;
		return blocks_seen ? NULL :
		    "truncated or malformed PEM: no complete BEGIN line";
	}
	if (ERR_GET_LIB(e) == ERR_LIB_PEM && reason == PEM_R_BAD_BASE64_DECODE)
		return "bad base64 in the PEM body";
	if (ERR_GET_LIB(e) == ERR_LIB_PEM && (reason == PEM_R_BAD_END_LINE ||
	    reason == PEM_R_SHORT_HEADER))
		return "truncated PEM block: no matching END line";
	if (ERR_GET_LIB(e) == ERR_LIB_PEM && reason == PEM_R_BAD_IV_CHARS)
		return "malformed DEK-Info header";
	if (e == 0)
		return "empty PEM block: no base64 body";
	return NULL;
}

int
decode_pem(struct blk *b, const unsigned char *buf, size_t len)
{
	BIO		*bio;
	char		*name = NULL, *header = NULL;
	unsigned char	*data = NULL;
	long		 dlen = 0;
	const char	*why;
	int		 at_end, blocks = 0;
	size_t		 left;

	if ((bio = BIO_new_mem_buf(buf, len > INT_MAX ? INT_MAX : (int)len)) == NULL)
		return blk_error(b, "out of memory");
	for (;;) {
		ERR_clear_error();
		left = BIO_ctrl_pending(bio);
		if (!PEM_read_bio_ex(bio, &name, &header, &data, &dlen,
		    PEM_FLAG_EAY_COMPATIBLE)) {
			why = pem_failure(blocks, &at_end);
			b->block = blocks + 1;
			b->label = NULL;
			if (why != NULL) {
				if (at_end)
					b->block = 0;
				blk_error(b, "%s", why);
			} else if (!at_end)
				blk_error(b, "unreadable PEM: %s",
				    ossl_reason("unknown reason"));
			if (at_end || BIO_eof(bio) ||
			    BIO_ctrl_pending(bio) == left)
				break;
			blocks++;
			continue;
		}
		b->block = ++blocks;
		b->label = name;
		b->mislabel = NULL;
		pem_block(b, name, header, data, dlen);
		OPENSSL_clear_free(data, (size_t)dlen);
		OPENSSL_free(name);
		OPENSSL_free(header);
		name = header = NULL;
		data = NULL;
	}
	BIO_free(bio);
	b->mislabel = NULL;
	return b->failed ? -1 : 0;
}
