// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 1661 section 4: the option negotiation automaton. Each event handler
 * below follows one row of the RFC's state transition table; the actions
 * (tlu, tld, tls, tlf, irc, zrc, scr, sca, scn, str, sta, scj) are the small
 * functions just after this comment.
 */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "ppp/internal.h"

static void fsm_timer_off(struct fsm *f)
{
	f->deadline = PPP_NO_DEADLINE;
}

static void fsm_timer_on(struct fsm *f)
{
	f->deadline = f->ppp->now + ppp_restart_ms(f->ppp);
}

static void fsm_set_state(struct fsm *f, enum fsm_state s)
{
	if (f->state != s)
		ppp_log(f->ppp, LOG_DEBUG, "%s: %s -> %s", f->ops->name,
			fsm_state_str(f->state), fsm_state_str(s));
	f->state = s;
	/* The restart timer runs exactly in the states that wait for a
	 * reply to something we sent. */
	if (s < FSM_CLOSING || s == FSM_OPENED)
		fsm_timer_off(f);
}

static void fsm_tlu(struct fsm *f)
{
	f->nak_loops = 0;
	if (f->ops->up)
		f->ops->up(f);
}

static void fsm_tld(struct fsm *f)
{
	if (f->ops->down)
		f->ops->down(f);
}

static void fsm_tls(struct fsm *f)
{
	if (f->ops->starting)
		f->ops->starting(f);
}

static void fsm_tlf(struct fsm *f)
{
	if (f->ops->finished)
		f->ops->finished(f);
}

/* irc for Configure-Request: the negotiation starts from the top. */
static void fsm_irc_conf(struct fsm *f)
{
	f->restart = ppp_max_configure(f->ppp);
}

static void fsm_irc_term(struct fsm *f)
{
	f->restart = ppp_max_terminate(f->ppp);
}

static void fsm_zrc(struct fsm *f)
{
	f->restart = 0;
	fsm_timer_on(f);
}

static void fsm_scr(struct fsm *f)
{
	if (f->reset_pending) {
		f->ops->reset(f);
		f->reset_pending = false;
	}
	f->req_len = f->ops->build_req(f, f->req, sizeof(f->req));
	f->req_id = f->next_id++;
	ppp_send_ctl(f->ppp, f->ops->proto, FSM_CONF_REQ, f->req_id, f->req,
		     f->req_len);
	if (f->restart)
		f->restart--;
	fsm_timer_on(f);
}

static void fsm_str(struct fsm *f)
{
	f->term_id = f->next_id++;
	ppp_send_ctl(f->ppp, f->ops->proto, FSM_TERM_REQ, f->term_id, NULL, 0);
	if (f->restart)
		f->restart--;
	fsm_timer_on(f);
}

static void fsm_sta(struct fsm *f, uint8_t id)
{
	ppp_send_ctl(f->ppp, f->ops->proto, FSM_TERM_ACK, id, NULL, 0);
}

static void fsm_scj(struct fsm *f, const uint8_t *pkt, size_t len)
{
	/* The rejected packet goes back as data, cut to what fits. */
	if (len > FSM_PKT_MAX - 4)
		len = FSM_PKT_MAX - 4;
	ppp_send_ctl(f->ppp, f->ops->proto, FSM_CODE_REJ, f->next_id++, pkt,
		     len);
}

void fsm_init(struct fsm *f, const struct fsm_ops *ops, struct ppp *ppp)
{
	memset(f, 0, sizeof(*f));
	f->ops = ops;
	f->ppp = ppp;
	f->state = FSM_INITIAL;
	f->next_id = 1;
	f->reset_pending = true;
	fsm_timer_off(f);
}

void fsm_up(struct fsm *f)
{
	switch (f->state) {
	case FSM_INITIAL:
		fsm_set_state(f, FSM_CLOSED);
		break;
	case FSM_STARTING:
		fsm_irc_conf(f);
		f->reset_pending = true;
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		ppp_log(f->ppp, LOG_DEBUG, "%s: Up in state %s ignored",
			f->ops->name, fsm_state_str(f->state));
	}
}

void fsm_up_passive(struct fsm *f)
{
	if (f->state != FSM_STARTING) {
		fsm_up(f);
		return;
	}
	/* Build the wish list now: an RCR in Stopped sends it unchanged, after
	 * recv_req has recorded the peer's options. */
	f->ops->reset(f);
	f->reset_pending = false;
	fsm_set_state(f, FSM_STOPPED);
}

void fsm_passive_open(struct fsm *f)
{
	if (f->state != FSM_STOPPED)
		return;
	fsm_irc_conf(f);
	fsm_scr(f);
	fsm_set_state(f, FSM_REQ_SENT);
}

void fsm_resend_req(struct fsm *f)
{
	if (f->state == FSM_REQ_SENT || f->state == FSM_ACK_SENT)
		fsm_scr(f);
}

void fsm_down(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		fsm_set_state(f, FSM_INITIAL);
		break;
	case FSM_STOPPED:
		fsm_set_state(f, FSM_STARTING);
		fsm_tls(f);
		break;
	case FSM_STOPPING:
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_set_state(f, FSM_STARTING);
		break;
	case FSM_OPENED:
		fsm_set_state(f, FSM_STARTING);
		fsm_tld(f);
		break;
	default:
		break;
	}
}

void fsm_open(struct fsm *f)
{
	switch (f->state) {
	case FSM_INITIAL:
		fsm_set_state(f, FSM_STARTING);
		fsm_tls(f);
		break;
	case FSM_CLOSED:
		fsm_irc_conf(f);
		f->reset_pending = true;
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_CLOSING:
		fsm_set_state(f, FSM_STOPPING);
		break;
	default:
		break;
	}
}

void fsm_close(struct fsm *f)
{
	switch (f->state) {
	case FSM_STARTING:
		fsm_set_state(f, FSM_INITIAL);
		fsm_tlf(f);
		break;
	case FSM_STOPPED:
		fsm_set_state(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		fsm_set_state(f, FSM_CLOSING);
		break;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_irc_term(f);
		fsm_str(f);
		fsm_set_state(f, FSM_CLOSING);
		break;
	case FSM_OPENED:
		fsm_set_state(f, FSM_CLOSING);
		fsm_tld(f);
		fsm_irc_term(f);
		fsm_str(f);
		break;
	default:
		break;
	}
}

void fsm_timer(struct fsm *f, uint64_t now)
{
	if (f->deadline == PPP_NO_DEADLINE || now < f->deadline)
		return;
	fsm_timer_off(f);
	if (f->restart > 0) {		/* TO+ */
		switch (f->state) {
		case FSM_CLOSING:
		case FSM_STOPPING:
			fsm_str(f);
			break;
		case FSM_ACK_RCVD:
			fsm_set_state(f, FSM_REQ_SENT);
			/* fall through */
		case FSM_REQ_SENT:
		case FSM_ACK_SENT:
			fsm_scr(f);
			break;
		default:
			break;
		}
		return;
	}
	switch (f->state) {			/* TO- */
	case FSM_CLOSING:
		fsm_set_state(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPING:
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		if (f->state != FSM_STOPPING)
			ppp_log(f->ppp, LOG_NOTICE,
				"%s: negotiation did not converge",
				f->ops->name);
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	default:
		break;
	}
}

static void fsm_rcr(struct fsm *f, uint8_t id, const uint8_t *opts,
		    size_t len)
{
	uint8_t out[FSM_PKT_MAX];
	size_t out_len = 0;
	int code;

	switch (f->state) {
	case FSM_CLOSED:
		fsm_sta(f, id);
		return;
	case FSM_CLOSING:
	case FSM_STOPPING:
		return;
	case FSM_INITIAL:
	case FSM_STARTING:
		return;
	default:
		break;
	}

	code = f->ops->recv_req(f, opts, len, out, &out_len,
				f->nak_loops < ppp_max_failure(f->ppp));
	if (code < 0) {
		ppp_log(f->ppp, LOG_NOTICE,
			"%s: malformed Configure-Request dropped", f->ops->name);
		return;
	}
	/* The handler decided the link is over: say nothing more. */
	if (f->ppp->dead || f->ppp->close_pending)
		return;

	switch (f->state) {
	case FSM_STOPPED:
		fsm_irc_conf(f);
		fsm_scr(f);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f);
		break;
	default:
		break;
	}

	ppp_send_ctl(f->ppp, f->ops->proto, (uint8_t)code, id, out, out_len);
	if (code == FSM_CONF_ACK) {		/* RCR+ */
		f->nak_loops = 0;
		if (f->state == FSM_ACK_RCVD) {
			fsm_set_state(f, FSM_OPENED);
			fsm_tlu(f);
		} else {
			fsm_set_state(f, FSM_ACK_SENT);
		}
	} else {				/* RCR- */
		if (code == FSM_CONF_NAK)
			f->nak_loops++;
		if (f->state != FSM_ACK_RCVD)
			fsm_set_state(f, FSM_REQ_SENT);
	}
}

static void fsm_rca(struct fsm *f, uint8_t id, const uint8_t *opts,
		    size_t len)
{
	if (id != f->req_id || len != f->req_len ||
	    (len && memcmp(opts, f->req, len))) {
		ppp_log(f->ppp, LOG_DEBUG, "%s: stale or bogus Configure-Ack",
			f->ops->name);
		return;
	}
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		fsm_sta(f, id);
		break;
	case FSM_REQ_SENT:
		if (f->ops->recv_ack)
			f->ops->recv_ack(f, opts, len);
		fsm_irc_conf(f);
		fsm_set_state(f, FSM_ACK_RCVD);
		break;
	case FSM_ACK_RCVD:		/* crossed connection */
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_ACK_SENT:
		if (f->ops->recv_ack)
			f->ops->recv_ack(f, opts, len);
		fsm_irc_conf(f);
		fsm_set_state(f, FSM_OPENED);
		fsm_tlu(f);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

static void fsm_rcn(struct fsm *f, uint8_t code, uint8_t id,
		    const uint8_t *opts, size_t len)
{
	int err;

	if (id != f->req_id) {
		ppp_log(f->ppp, LOG_DEBUG, "%s: stale Configure-Nak/Reject",
			f->ops->name);
		return;
	}
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
		fsm_sta(f, id);
		return;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
	case FSM_OPENED:
		break;
	default:
		return;
	}
	err = code == FSM_CONF_NAK ? f->ops->recv_nak(f, opts, len) :
				     f->ops->recv_rej(f, opts, len);
	if (err) {
		ppp_log(f->ppp, LOG_NOTICE, "%s: bogus Configure-%s dropped",
			f->ops->name, code == FSM_CONF_NAK ? "Nak" : "Reject");
		return;
	}
	/* The handler decided the link is over: say nothing more. */
	if (f->ppp->dead || f->ppp->close_pending)
		return;
	switch (f->state) {
	case FSM_REQ_SENT:
	case FSM_ACK_SENT:
		fsm_irc_conf(f);
		fsm_scr(f);
		break;
	case FSM_ACK_RCVD:
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

static void fsm_rtr(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_STOPPED:
	case FSM_CLOSING:
	case FSM_STOPPING:
		fsm_sta(f, id);
		break;
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_sta(f, id);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED:
		fsm_set_state(f, FSM_STOPPING);
		fsm_tld(f);
		fsm_zrc(f);
		fsm_sta(f, id);
		break;
	default:
		break;
	}
}

static void fsm_rta(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_CLOSING:
		fsm_set_state(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPING:
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_ACK_RCVD:
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	case FSM_OPENED:
		fsm_tld(f);
		fsm_scr(f);
		fsm_set_state(f, FSM_REQ_SENT);
		break;
	default:
		break;
	}
}

/* RXJ-: the peer cannot do something we cannot do without. */
static void fsm_rxj_bad(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED:
	case FSM_CLOSING:
		fsm_set_state(f, FSM_CLOSED);
		fsm_tlf(f);
		break;
	case FSM_STOPPED:
	case FSM_STOPPING:
	case FSM_REQ_SENT:
	case FSM_ACK_RCVD:
	case FSM_ACK_SENT:
		fsm_set_state(f, FSM_STOPPED);
		fsm_tlf(f);
		break;
	case FSM_OPENED:
		fsm_set_state(f, FSM_STOPPING);
		fsm_tld(f);
		fsm_irc_term(f);
		fsm_str(f);
		break;
	default:
		break;
	}
}

void fsm_protocol_rejected(struct fsm *f)
{
	fsm_rxj_bad(f);
}

int fsm_input(struct fsm *f, const uint8_t *pkt, size_t len)
{
	uint8_t code, id;
	size_t plen;

	if (len < 4)
		return -EINVAL;
	code = pkt[0];
	id = pkt[1];
	plen = ppp_get16(pkt + 2);
	/* Octets past the length field are padding (RFC 1661 5). Nothing
	 * we negotiate needs more than FSM_PKT_MAX, and every reply buffer is
	 * sized by it. */
	if (plen < 4 || plen > len || plen > FSM_PKT_MAX)
		return -EINVAL;
	pkt += 4;
	plen -= 4;

	if (f->state == FSM_INITIAL || f->state == FSM_STARTING) {
		/* Not up yet: nothing to answer with. */
		return 0;
	}

	switch (code) {
	case FSM_CONF_REQ:
		if (ppp_opts_check(pkt, plen))
			return -EINVAL;
		fsm_rcr(f, id, pkt, plen);
		return 0;
	case FSM_CONF_ACK:
		fsm_rca(f, id, pkt, plen);
		return 0;
	case FSM_CONF_NAK:
	case FSM_CONF_REJ:
		if (ppp_opts_check(pkt, plen))
			return -EINVAL;
		fsm_rcn(f, code, id, pkt, plen);
		return 0;
	case FSM_TERM_REQ:
		fsm_rtr(f, id);
		return 0;
	case FSM_TERM_ACK:
		fsm_rta(f, id);
		return 0;
	case FSM_CODE_REJ:
		if (plen < 1)
			return -EINVAL;
		if (f->ops->code_rej_ok && f->ops->code_rej_ok(pkt[0])) {
			if (f->state == FSM_ACK_RCVD)	/* RXJ+ */
				fsm_set_state(f, FSM_REQ_SENT);
		} else {
			ppp_log(f->ppp, LOG_NOTICE,
				"%s: peer rejected code %u", f->ops->name,
				pkt[0]);
			fsm_rxj_bad(f);
		}
		return 0;
	default:
		if (f->ops->extcode &&
		    f->ops->extcode(f, code, id, pkt, plen) == 0)
			return 0;
		fsm_scj(f, pkt - 4, plen + 4);	/* RUC */
		return 0;
	}
}

const char *fsm_state_str(enum fsm_state s)
{
	static const char *const names[] = {
		"Initial", "Starting", "Closed", "Stopped", "Closing",
		"Stopping", "Req-Sent", "Ack-Rcvd", "Ack-Sent", "Opened",
	};

	return (unsigned int)s < sizeof(names) / sizeof(names[0]) ?
	       names[s] : "?";
}
