// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "proto/http.h"

/* Length of the header including the blank line, or 0 if incomplete. */
static size_t http_header_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Next line of [*p, end) without its CR LF; returns its length, or -1. */
static int http_line(const char **p, const char *end, const char **line)
{
	const char *s = *p, *nl = memchr(s, '\n', end - s);
	size_t n;

	if (!nl)
		return -1;
	n = nl - s;
	if (n && s[n - 1] == '\r')
		n--;
	*line = s;
	*p = nl + 1;
	return (int)n;
}

static void http_copy(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static int http_version_ok(const char *v, size_t n)
{
	return n == 8 && !memcmp(v, "HTTP/1.", 7) && (v[7] == '0' || v[7] == '1');
}

/* Split "name: value" and trim; returns 0 or -1 when there is no colon. */
static int http_field(const char *line, int n, const char **name, size_t *nlen,
		      const char **val, size_t *vlen)
{
	const char *c = memchr(line, ':', n), *e = line + n;

	if (!c || c == line)
		return -1;
	*name = line;
	*nlen = c - line;
	c++;
	while (c < e && (*c == ' ' || *c == '\t'))
		c++;
	while (e > c && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*val = c;
	*vlen = e - c;
	return 0;
}

static int http_uri_ok(const char *uri, size_t n)
{
	size_t ulen = strlen(HTTP_SSTP_URI) - 1;	/* without the final '/' */

	/* The GUID's case varies between implementations; an optional
	 * "?tenantid=..." query follows on newer Windows clients; Windows
	 * also answers the form without the final slash (SSTP probes such as
	 * nmap's sstp-discover use it), so we do too. */
	if (n < ulen || strncasecmp(uri, HTTP_SSTP_URI, ulen))
		return 0;
	if (n > ulen && uri[ulen] == '/')
		ulen++;
	return n == ulen || uri[ulen] == '?';
}

int http_request_parse(const char *buf, size_t len, struct http_request *req)
{
	size_t hlen = http_header_end(buf, len > HTTP_MAX_HEADER ? HTTP_MAX_HEADER : len);
	const char *p = buf, *end, *line, *sp1, *sp2, *name, *val;
	size_t nlen, vlen;
	int n;

	memset(req, 0, sizeof(*req));
	if (!hlen)
		return len >= HTTP_MAX_HEADER ? -EMSGSIZE : 0;
	end = buf + hlen;
	req->status = 400;

	n = http_line(&p, end, &line);
	sp1 = n > 0 ? memchr(line, ' ', n) : NULL;
	sp2 = sp1 ? memchr(sp1 + 1, ' ', line + n - sp1 - 1) : NULL;
	if (!sp1 || !sp2 || memchr(sp2 + 1, ' ', line + n - sp2 - 1))
		return (int)hlen;
	if (!http_version_ok(sp2 + 1, line + n - sp2 - 1)) {
		req->status = 505;
		return (int)hlen;
	}
	if ((size_t)(sp1 - line) != strlen(HTTP_METHOD_SSTP) ||
	    memcmp(line, HTTP_METHOD_SSTP, sp1 - line)) {
		req->status = 405;
		return (int)hlen;
	}
	if (!http_uri_ok(sp1 + 1, sp2 - sp1 - 1)) {
		req->status = 404;
		return (int)hlen;
	}
	while ((n = http_line(&p, end, &line)) > 0) {
		if (http_field(line, n, &name, &nlen, &val, &vlen))
			return (int)hlen;	/* 400 */
		if (nlen == 4 && !strncasecmp(name, "Host", 4))
			http_copy(req->host, sizeof(req->host), val, vlen);
		else if (nlen == 17 && !strncasecmp(name, "SSTPCORRELATIONID", 17))
			http_copy(req->correlation_id, sizeof(req->correlation_id),
				  val, vlen);
	}
	req->status = 200;
	return (int)hlen;
}

int http_response_parse(const char *buf, size_t len, struct http_response *resp)
{
	size_t hlen = http_header_end(buf, len > HTTP_MAX_HEADER ? HTTP_MAX_HEADER : len);
	const char *p = buf, *line;
	int n, i, status = 0;

	memset(resp, 0, sizeof(*resp));
	if (!hlen)
		return len >= HTTP_MAX_HEADER ? -EMSGSIZE : 0;
	n = http_line(&p, buf + hlen, &line);
	/* "HTTP/1.1 200" at least, then a space or the end of the line. */
	if (n < 12 || !http_version_ok(line, 8) || line[8] != ' ' ||
	    (n > 12 && line[12] != ' '))
		return -EBADMSG;
	for (i = 9; i < 12; i++) {
		if (line[i] < '0' || line[i] > '9')
			return -EBADMSG;
		status = status * 10 + (line[i] - '0');
	}
	resp->status = status;
	return (int)hlen;
}

static int http_printf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int http_printf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= size ? -ENOSPC : n;
}

/* Windows' header order (docs/windows.md); servers written against Windows
 * may expect nothing else. */
int http_request_build(char *buf, size_t size, const char *host,
		       const char *correlation_id)
{
	return http_printf(buf, size,
			   HTTP_METHOD_SSTP " " HTTP_SSTP_URI " HTTP/1.1\r\n"
			   "SSTPCORRELATIONID: %s\r\n"
			   "Content-Length: " HTTP_SSTP_LENGTH "\r\n"
			   "Host: %s\r\n"
			   "\r\n", correlation_id, host);
}

static const char *http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default:  return "Error";
	}
}

int http_response_build(char *buf, size_t size, int status)
{
	if (status == 200)
		return http_printf(buf, size,
				   "HTTP/1.1 200 OK\r\n"
				   "Content-Length: " HTTP_SSTP_LENGTH "\r\n"
				   "Server: sstpd\r\n"
				   "\r\n");
	return http_printf(buf, size,
			   "HTTP/1.1 %d %s\r\n"
			   "Content-Length: 0\r\n"
			   "Connection: close\r\n"
			   "\r\n", status, http_reason(status));
}

/* RFC 4648 base64 of in into out (NUL-terminated); -ENOSPC if too small. */
static int http_base64(const char *in, char *out, size_t size)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in), i, o = 0;
	uint32_t v;

	if ((n + 2) / 3 * 4 + 1 > size)
		return -ENOSPC;
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)(unsigned char)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)(unsigned char)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < n ? tab[v & 63] : '=';
	}
	out[o] = 0;
	return 0;
}

int http_connect_build(char *buf, size_t size, const char *host,
		       unsigned int port, const char *credentials)
{
	/* An IPv6 literal needs brackets in the authority form. */
	const char *l = strchr(host, ':') ? "[" : "", *r = *l ? "]" : "";
	char auth[700] = "", b64[600];

	if (credentials) {
		if (http_base64(credentials, b64, sizeof(b64)))
			return -ENOSPC;
		snprintf(auth, sizeof(auth), "Proxy-Authorization: Basic %s\r\n", b64);
	}
	return http_printf(buf, size,
			   "CONNECT %s%s%s:%u HTTP/1.1\r\n"
			   "Host: %s%s%s:%u\r\n"
			   "SSTPVERSION: 1.0\r\n"
			   "%s"
			   "\r\n", l, host, r, port, l, host, r, port, auth);
}

void http_correlation_id_new(char out[39])
{
	uint8_t r[16] = { 0 };

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		memset(r, 0x5a, sizeof(r));	/* only an identifier, not a secret */
	r[6] = (r[6] & 0x0f) | 0x40;	/* RFC 4122 version 4 */
	r[8] = (r[8] & 0x3f) | 0x80;
	snprintf(out, 39,
		 "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
		 r[10], r[11], r[12], r[13], r[14], r[15]);
}
