// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "proto/http.h"
#include "test.h"

#define GOOD_REQ "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n" \
	"Host: vpn.example.com\r\n" \
	"Content-Length: 18446744073709551615\r\n" \
	"SSTPCORRELATIONID: {01234567-89AB-CDEF-0123-456789ABCDEF}\r\n\r\n"

TEST(request_valid_keeps_trailing_bytes)
{
	/* A pipelined CALL_CONNECT_REQUEST must stay with the caller. */
	static const char msg[] = GOOD_REQ "\x10\x01\x00\x0e";
	struct http_request req;
	int n = http_request_parse(msg, sizeof(msg) - 1, &req);

	CHECK_INT(n, sizeof(GOOD_REQ) - 1);
	CHECK_INT(req.status, 200);
	CHECK_STR(req.host, "vpn.example.com");
	CHECK_STR(req.correlation_id, "{01234567-89AB-CDEF-0123-456789ABCDEF}");
}

TEST(request_incomplete_needs_more)
{
	struct http_request req;
	size_t i;

	/* Every strict prefix is "need more", never an error. */
	for (i = 0; i < sizeof(GOOD_REQ) - 1; i++)
		CHECK_INT(http_request_parse(GOOD_REQ, i, &req), 0);
}

TEST(request_lowercase_guid_and_tenant_query)
{
	static const char msg[] =
		"SSTP_DUPLEX_POST /sra_{ba195980-cd49-458b-9e23-c84ee0adcd75}/?tenantid=x HTTP/1.1\r\n"
		"Host: h\r\n\r\n";
	struct http_request req;

	CHECK_INT(http_request_parse(msg, sizeof(msg) - 1, &req), sizeof(msg) - 1);
	CHECK_INT(req.status, 200);
}

TEST(request_without_final_slash)
{
	static const char msg[] =
		"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75} HTTP/1.1\r\n\r\n";
	static const char q[] =
		"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}?x=1 HTTP/1.1\r\n\r\n";
	static const char bad[] =
		"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}x HTTP/1.1\r\n\r\n";
	struct http_request req;

	CHECK(http_request_parse(msg, sizeof(msg) - 1, &req) > 0);
	CHECK_INT(req.status, 200);
	CHECK(http_request_parse(q, sizeof(q) - 1, &req) > 0);
	CHECK_INT(req.status, 200);
	CHECK(http_request_parse(bad, sizeof(bad) - 1, &req) > 0);
	CHECK_INT(req.status, 404);
}

TEST(request_wrong_method_405)
{
	static const char msg[] =
		"GET /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\nHost: h\r\n\r\n";
	struct http_request req;

	CHECK(http_request_parse(msg, sizeof(msg) - 1, &req) > 0);
	CHECK_INT(req.status, 405);
}

TEST(request_wrong_uri_404)
{
	static const char msg[] = "SSTP_DUPLEX_POST /index.html HTTP/1.1\r\n\r\n";
	static const char msg2[] =
		"SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/x HTTP/1.1\r\n\r\n";
	struct http_request req;

	CHECK(http_request_parse(msg, sizeof(msg) - 1, &req) > 0);
	CHECK_INT(req.status, 404);
	CHECK(http_request_parse(msg2, sizeof(msg2) - 1, &req) > 0);
	CHECK_INT(req.status, 404);
}

TEST(request_garbage_400_and_bad_version_505)
{
	static const char g1[] = "hello\r\n\r\n";
	static const char g2[] = "SSTP_DUPLEX_POST " HTTP_SSTP_URI " HTTP/2.0\r\n\r\n";
	static const char g3[] = "SSTP_DUPLEX_POST " HTTP_SSTP_URI " HTTP/1.1\r\nno colon\r\n\r\n";
	struct http_request req;

	CHECK(http_request_parse(g1, sizeof(g1) - 1, &req) > 0);
	CHECK_INT(req.status, 400);
	CHECK(http_request_parse(g2, sizeof(g2) - 1, &req) > 0);
	CHECK_INT(req.status, 505);
	CHECK(http_request_parse(g3, sizeof(g3) - 1, &req) > 0);
	CHECK_INT(req.status, 400);
}

TEST(request_too_long)
{
	static char big[HTTP_MAX_HEADER + 10];
	struct http_request req;

	memset(big, 'A', sizeof(big));
	CHECK_INT(http_request_parse(big, sizeof(big), &req), -EMSGSIZE);
	CHECK_INT(http_request_parse(big, HTTP_MAX_HEADER - 1, &req), 0);
}

TEST(response_parse)
{
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n"
				 "Server: Microsoft-HTTPAPI/2.0\r\n\r\n\x10\x01";
	static const char proxy[] = "HTTP/1.0 200 Connection established\r\n\r\n";
	static const char err[] = "HTTP/1.1 404 Not Found\r\n\r\n";
	static const char bad[] = "HTTP/1.1 20 OK\r\n\r\n";
	/* Windows and MikroTik: no reason phrase, a trailing blank. */
	static const char win[] = "HTTP/1.1 200 \r\nContent-Length: 18446744073709551615\r\n"
				  "Server: Microsoft-HTTPAPI/2.0\r\nDate: Fri, 01 Nov 2013 00:00:00 GMT\r\n\r\n";
	static const char bare[] = "HTTP/1.1 200\r\n\r\n";
	struct http_response r;

	CHECK_INT(http_response_parse(ok, sizeof(ok) - 1, &r), sizeof(ok) - 3);
	CHECK_INT(r.status, 200);
	CHECK_INT(http_response_parse(proxy, sizeof(proxy) - 1, &r), sizeof(proxy) - 1);
	CHECK_INT(r.status, 200);
	CHECK_INT(http_response_parse(err, sizeof(err) - 1, &r), sizeof(err) - 1);
	CHECK_INT(r.status, 404);
	CHECK_INT(http_response_parse(bad, sizeof(bad) - 1, &r), -EBADMSG);
	CHECK_INT(http_response_parse(win, sizeof(win) - 1, &r), sizeof(win) - 1);
	CHECK_INT(r.status, 200);
	CHECK_INT(http_response_parse(bare, sizeof(bare) - 1, &r), sizeof(bare) - 1);
	CHECK_INT(r.status, 200);
	CHECK_INT(http_response_parse(ok, 10, &r), 0);
}

TEST(build_roundtrip)
{
	char buf[200], want[200], id[39];
	struct http_request req;
	struct http_response resp;
	int n;

	http_correlation_id_new(id);
	CHECK_INT(strlen(id), 38);
	CHECK(id[0] == '{' && id[37] == '}' && id[9] == '-');
	n = http_request_build(buf, sizeof(buf), "vpn.example.com", id);
	CHECK(n > 0);
	CHECK_INT(http_request_parse(buf, n, &req), n);
	CHECK_INT(req.status, 200);
	CHECK_STR(req.correlation_id, id);
	/* Windows' request, headers in its order. */
	snprintf(want, sizeof(want),
		 "SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
		 "SSTPCORRELATIONID: %s\r\n"
		 "Content-Length: 18446744073709551615\r\n"
		 "Host: vpn.example.com\r\n"
		 "\r\n", id);
	CHECK_STR(buf, want);

	n = http_response_build(buf, sizeof(buf), 200);
	CHECK_INT(http_response_parse(buf, n, &resp), n);
	CHECK_INT(resp.status, 200);
	CHECK(strstr(buf, "Content-Length: 18446744073709551615\r\n"));
	n = http_response_build(buf, sizeof(buf), 405);
	CHECK_INT(http_response_parse(buf, n, &resp), n);
	CHECK_INT(resp.status, 405);
	CHECK_INT(http_response_build(buf, 10, 200), -ENOSPC);
}

TEST(connect_build)
{
	char buf[256];
	int n;

	n = http_connect_build(buf, sizeof(buf), "vpn.example.com", 443, NULL);
	CHECK(n > 0);
	CHECK_STR(buf, "CONNECT vpn.example.com:443 HTTP/1.1\r\n"
		       "Host: vpn.example.com:443\r\n"
		       "SSTPVERSION: 1.0\r\n\r\n");
	n = http_connect_build(buf, sizeof(buf), "2001:db8::1", 443, NULL);
	CHECK(n > 0);
	CHECK(!strncmp(buf, "CONNECT [2001:db8::1]:443 HTTP/1.1\r\n", 36));
	/* RFC 7617's example: Aladdin:open sesame. */
	n = http_connect_build(buf, sizeof(buf), "h", 443, "Aladdin:open sesame");
	CHECK(n > 0);
	CHECK(strstr(buf, "\r\nProxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n\r\n"));
	n = http_connect_build(buf, sizeof(buf), "h", 443, "a:b");
	CHECK(strstr(buf, "Basic YTpi\r\n"));
	n = http_connect_build(buf, sizeof(buf), "h", 443, "ab:c");
	CHECK(strstr(buf, "Basic YWI6Yw==\r\n"));
}
