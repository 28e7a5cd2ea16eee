/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sstpd's configuration: one INI-like file of "key = value" lines in
 * [global], [server], [client] and [test] sections ('#' or ';' starts a
 * comment). Every key has a default (config_init), the file overrides the
 * defaults, and "-o section.key=value" on the command line overrides the
 * file. Errors name the file and line. docs/sstpd.md documents every key;
 * the table in config.c is the single source of the names and defaults.
 */
#ifndef SSTP_CONFIG_H
#define SSTP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIG_STR 256
/* Room for the line each key was set on (config_where()). */
#define CONFIG_MAX_KEYS 96

enum config_mode { CONFIG_MODE_SERVER, CONFIG_MODE_CLIENT };
enum config_log { CONFIG_LOG_ERROR, CONFIG_LOG_WARN, CONFIG_LOG_INFO,
		  CONFIG_LOG_DEBUG };
enum config_tls_version { CONFIG_TLS_1_2, CONFIG_TLS_1_3 };

struct config {
	/* [global] */
	unsigned int mode;		/* enum config_mode */
	char ctl_socket[CONFIG_STR];
	char run_as[CONFIG_STR];	/* "auto", a user name, or "root" */
	unsigned int log_level;		/* enum config_log */
	unsigned int hello_interval;	/* seconds */
	unsigned int negotiation_timeout; /* seconds */
	unsigned int mtu;
	char ifname[CONFIG_STR];	/* tun name template, "%d" allowed */
	char offload[CONFIG_STR];	/* "auto", "yes" (kernel data path) or "no" */
	bool ipv6;			/* run IPV6CP: link-local addresses */
	unsigned int tls_min_version;	/* enum config_tls_version */
	unsigned int tls_max_version;	/* enum config_tls_version */
	char tls_ciphers[CONFIG_STR];	/* TLS 1.2 OpenSSL cipher list */
	char tls_ciphersuites[CONFIG_STR]; /* TLS 1.3 suites */
	char metrics_listen[CONFIG_STR];	/* addr:port for Prometheus, or empty */
	/* [server] */
	char listen[CONFIG_STR];	/* addr:port or [v6]:port */
	char cert[CONFIG_STR];
	char key[CONFIG_STR];
	char proxy_protocol[CONFIG_STR];	/* front ends that send a PROXY header */
	char listen_plain[CONFIG_STR];	/* addr:port, HTTP from a TLS terminator */
	char listen_plain_cert[CONFIG_STR]; /* the terminator's certificate */
	char local_ip[CONFIG_STR];
	char pool[CONFIG_STR];
	char dns1[CONFIG_STR];
	char dns2[CONFIG_STR];
	char chap_secrets[CONFIG_STR];
	char auth[CONFIG_STR];		/* in order: eap-mschapv2 peap eap-tls mschapv2 ... */
	char eap_ca[CONFIG_STR];	/* CA of EAP-TLS client certificates */
	char domain[CONFIG_STR];	/* DHCPINFORM: DNS suffix (option 15) */
	char dhcp_routes[CONFIG_STR];	/* DHCPINFORM: routes (options 121, 249) */
	char ipv6_prefix[CONFIG_STR];	/* a /64 of it per session, advertised */
	unsigned int ra_lifetime;	/* RA router lifetime, s (0: no default route) */
	unsigned int max_sessions;	/* authenticated sessions */
	unsigned int max_preauth;	/* connections not authenticated yet */
	unsigned int max_preauth_per_source; /* of those, from one source */
	unsigned int preauth_timeout;	/* s from accept to authenticated */
	unsigned int auth_delay;	/* s: hold after the first failure */
	unsigned int auth_delay_max;	/* s */
	unsigned int auth_lockout;	/* failures that lock out, 0 = never */
	unsigned int auth_lockout_time;	/* s */
	bool source_validation;		/* the BPF guard on every session */
	unsigned int rate_limit;	/* kbit/s a client may send, 0 = none */
	/* [client] */
	char server[CONFIG_STR];	/* host or host:port */
	char sni[CONFIG_STR];		/* default: the host part of server */
	char ca[CONFIG_STR];
	bool insecure;
	char user[CONFIG_STR];
	char password[CONFIG_STR];
	char proxy[CONFIG_STR];		/* host:port of an HTTP proxy, or empty */
	char proxy_user[CONFIG_STR];	/* Basic proxy authentication, or empty */
	char proxy_password[CONFIG_STR];
	char routes[CONFIG_STR];	/* space separated prefixes via the tunnel */
	char client_auth[CONFIG_STR];	/* methods the client agrees to */
	char eap_cert[CONFIG_STR];	/* client: EAP-TLS certificate and key */
	char eap_key[CONFIG_STR];
	char client_eap_ca[CONFIG_STR];	/* client: CA of the EAP server ("" = ca) */
	/* [radius] (server): empty auth_servers = local chap-secrets */
	char radius_auth_servers[CONFIG_STR];
	char radius_acct_servers[CONFIG_STR];
	char radius_secret[CONFIG_STR];
	unsigned int radius_timeout;	/* seconds per try */
	unsigned int radius_retries;	/* tries per server */
	unsigned int radius_deadtime;	/* seconds a failed server rests */
	unsigned int radius_require_ma;	/* enum radius_require_ma */
	bool radius_accounting;
	unsigned int radius_acct_interim; /* seconds, 0 = none */
	char radius_nas_identifier[CONFIG_STR];
	char radius_nas_ip_address[CONFIG_STR];
	char radius_dae_listen[CONFIG_STR];	/* RFC 5176 listener, "" = off */
	char radius_dae_secret[CONFIG_STR];	/* "" = secret */
	char radius_dae_clients[CONFIG_STR];	/* "" = the auth_servers hosts */
	/* [test]: knobs that only the test-suite uses */
	bool test_corrupt_compound_mac;

	/* Where the values came from: the file config_load() read, and per
	 * key the line of that file (0: the default; CONFIG_LINE_SET: -o). */
	char file[CONFIG_STR];
	unsigned int line[CONFIG_MAX_KEYS];
	bool test_foreign_frames;
	bool test_disconnect_when_up;
	unsigned int test_sessions;
};

#define CONFIG_LINE_SET	(~0u)

/* Fill every key with its default. */
void config_init(struct config *c);
/* Read a file over the current values; on error write "file:line: what"
 * into err and return -EINVAL (or -errno if the file cannot be read). */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* The same on text in memory; `name` is used in error messages. */
int config_parse(struct config *c, const char *name, const char *text,
		 size_t len, char *err, size_t errlen);
/* One "section.key=value" (command line); error text without a line. */
int config_set(struct config *c, const char *assignment, char *err,
	       size_t errlen);
/* Cross-key checks for the chosen mode (e.g. a client needs a server). */
int config_check(const struct config *c, char *err, size_t errlen);
/*
 * A reload: the keys that only take effect at a restart (listening
 * sockets, the user, the pool, ...) keep their running values from `old`
 * in `new`; the names of those that differed go into changed (blank
 * separated, empty when none). Returns how many differed.
 */
int config_keep_restart_keys(const struct config *old, struct config *new,
			     char *changed, size_t size);
/* Write every key with its current value, as a valid config file. */
void config_dump(const struct config *c, int fd);
/*
 * Where section.key got its value, for messages about what it names (a
 * file that cannot be read, say): "FILE:LINE: key", "-o section.key" or
 * "[section] key" for a default. Returns buf.
 */
const char *config_where(const struct config *c, const char *section,
			 const char *name, char *buf, size_t size);

#endif /* SSTP_CONFIG_H */
