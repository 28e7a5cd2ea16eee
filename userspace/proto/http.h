/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HTTP part of SSTP (MS-SSTP 3.2.4.1, 4.1, 4.5): one SSTP_DUPLEX_POST
 * request and its response, and the HTTP CONNECT a client sends first when
 * it goes through a web proxy. Pure functions on buffers: the session does
 * the I/O and runs the 60 s timeout (HTTP_TIMEOUT_MS). A parser returns the
 * length of the header it consumed, so bytes that arrived after it (a
 * pipelined first SSTP packet) stay with the caller for the SSTP layer.
 */
#ifndef SSTP_HTTP_H
#define SSTP_HTTP_H

#include <stddef.h>

#define HTTP_METHOD_SSTP	"SSTP_DUPLEX_POST"
#define HTTP_SSTP_URI		"/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/"
#define HTTP_SSTP_LENGTH	"18446744073709551615"
#define HTTP_TIMEOUT_MS		60000
/* A header that does not end within this many bytes is refused. */
#define HTTP_MAX_HEADER		4096

struct http_request {
	/* 200 when this is a valid SSTP request, else the HTTP status the
	 * server answers with before closing (400, 404, 405, 505). */
	int status;
	char host[256];
	char correlation_id[64];
};

struct http_response {
	int status;			/* the status code, e.g. 200 */
};

/*
 * Parse a request header from buf[0..len). Returns the header length
 * (> 0, req filled), 0 when the header is not complete yet, or -EMSGSIZE
 * when no complete header fits in HTTP_MAX_HEADER bytes.
 */
int http_request_parse(const char *buf, size_t len, struct http_request *req);
/* The same for a response (to SSTP_DUPLEX_POST or to CONNECT); a status
 * line that is not HTTP/1.x NNN gives -EBADMSG. */
int http_response_parse(const char *buf, size_t len, struct http_response *resp);

/* Builders return the length written (no NUL counted) or -ENOSPC. The
 * request is Windows' to the byte: SSTPCORRELATIONID, Content-Length,
 * then Host (the host name only, no port). */
int http_request_build(char *buf, size_t size, const char *host,
		       const char *correlation_id);
/* status 200 gives the SSTP success answer; others a short error. */
int http_response_build(char *buf, size_t size, int status);
/* credentials: "user:password" for Basic proxy authentication, sent
 * preemptively, or NULL. */
int http_connect_build(char *buf, size_t size, const char *host,
		       unsigned int port, const char *credentials);
/* A fresh random "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" (39 bytes w/ NUL). */
void http_correlation_id_new(char out[39]);

#endif /* SSTP_HTTP_H */
