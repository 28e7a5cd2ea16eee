/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the PPP engine's fuzzers share (after they #include the engine's
 * sources): an engine put straight into the authentication phase, and the
 * length-prefixed frames of the input.
 */
#ifndef SSTP_FUZZ_PPP_H
#define SSTP_FUZZ_PPP_H

/* LCP skipped: the engine authenticates with method m at once. */
static inline void fz_enter_auth(struct ppp *ppp, enum ppp_auth m, uint64_t now)
{
	ppp->started = true;
	ppp->now = now;
	ppp->lcp.state = FSM_OPENED;
	if (ppp->cfg.role == PPP_ROLE_SERVER) {
		ppp->lcp_st.req_auth = true;
		ppp->lcp_st.auth = m;
	} else {
		ppp->lcp_st.peer_auth = m;
	}
	ppp_lcp_opened(ppp);
}

/* The next frame's length (1 byte, or 255 and 2 more when long is set),
 * capped to what is left; *d and *n move past the prefix. */
static inline size_t fz_next_len(const uint8_t **d, size_t *n, bool long_ok)
{
	size_t l = (*d)[0];

	(*d)++;
	(*n)--;
	if (long_ok && l == 255 && *n >= 2) {
		l = (size_t)(*d)[0] << 8 | (*d)[1];
		*d += 2;
		*n -= 2;
	}
	return l > *n ? *n : l;
}

#endif /* SSTP_FUZZ_PPP_H */
