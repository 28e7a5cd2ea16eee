// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Authentication throttling: see throttle.h. Each table is a hash of
 * records with an LRU list (most recently failed first), so that a full
 * table drops the record that has been quiet longest.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "daemon/list.h"
#include "daemon/loop.h"
#include "daemon/throttle.h"

#define THROTTLE_BUCKETS	1024	/* per table; chains stay short */
#define THROTTLE_MAX_RECORDS	4096

struct throttle_rec {
	struct throttle_rec *hnext;	/* hash chain */
	struct list_head lru;		/* on its table's, most recent first */
	uint32_t hash;
	unsigned int failures;
	uint64_t last;			/* time of the last failure */
	size_t klen;
	uint8_t key[];
};

struct throttle_tab {
	struct throttle_rec *bucket[THROTTLE_BUCKETS];
	struct list_head lru;
	unsigned int n;
};

struct throttle {
	struct throttle_config cfg;
	uint64_t seed[2];
	struct throttle_tab src, user;
};

/* FNV-1a over a random seed and the key, then a final mix. */
static uint32_t throttle_hash(const struct throttle *t, const void *key, size_t len)
{
	const uint8_t *p = key;
	uint64_t h = 0xcbf29ce484222325ull ^ t->seed[0];
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	h ^= t->seed[1];
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (uint32_t)h;
}

static void throttle_unlink(struct throttle_tab *tab, struct throttle_rec *r)
{
	struct throttle_rec **pp = &tab->bucket[r->hash % THROTTLE_BUCKETS];

	while (*pp != r)
		pp = &(*pp)->hnext;
	*pp = r->hnext;
	list_del(&r->lru);
	tab->n--;
	free(r);
}

static struct throttle_rec *throttle_oldest(struct throttle_tab *tab)
{
	return container_of(tab->lru.prev, struct throttle_rec, lru);
}

static struct throttle_rec *throttle_find(struct throttle *t, struct throttle_tab *tab,
					  const void *key, size_t len, uint64_t now)
{
	uint32_t h = throttle_hash(t, key, len);
	struct throttle_rec *r;

	for (r = tab->bucket[h % THROTTLE_BUCKETS]; r; r = r->hnext) {
		if (r->hash != h || r->klen != len || memcmp(r->key, key, len))
			continue;
		/* Forgotten: quiet for longer than a lockout lasts. */
		if (now >= r->last + t->cfg.lockout_ms) {
			throttle_unlink(tab, r);
			return NULL;
		}
		return r;
	}
	return NULL;
}

/* One more failure for key: its record, made (or moved) the newest. */
static void throttle_fail_key(struct throttle *t, struct throttle_tab *tab,
			      const void *key, size_t len, uint64_t now)
{
	struct throttle_rec *r = throttle_find(t, tab, key, len, now);
	unsigned int max = t->cfg.max_records ? t->cfg.max_records : THROTTLE_MAX_RECORDS;

	if (r) {
		list_del(&r->lru);
	} else {
		while (tab->n >= max)
			throttle_unlink(tab, throttle_oldest(tab));
		r = calloc(1, sizeof(*r) + len);
		if (!r)
			return;		/* unthrottled rather than stuck */
		r->hash = throttle_hash(t, key, len);
		r->klen = len;
		memcpy(r->key, key, len);
		r->hnext = tab->bucket[r->hash % THROTTLE_BUCKETS];
		tab->bucket[r->hash % THROTTLE_BUCKETS] = r;
		tab->n++;
	}
	list_add(&r->lru, &tab->lru);
	if (r->failures < 1u << 20)
		r->failures++;
	r->last = now;
}

static uint32_t throttle_delay(const struct throttle *t, unsigned int failures)
{
	uint64_t d;

	if (!failures || !t->cfg.delay_ms)
		return 0;
	d = (uint64_t)t->cfg.delay_ms << (failures - 1 < 20 ? failures - 1 : 20);
	return d > t->cfg.delay_max_ms ? t->cfg.delay_max_ms : (uint32_t)d;
}

int throttle_new(const struct throttle_config *cfg, struct throttle **out)
{
	struct throttle *t = calloc(1, sizeof(*t));

	if (!t)
		return -ENOMEM;
	t->cfg = *cfg;
	list_init(&t->src.lru);
	list_init(&t->user.lru);
	if (t->cfg.delay_max_ms < t->cfg.delay_ms)
		t->cfg.delay_max_ms = t->cfg.delay_ms;
	if (!t->cfg.lockout_ms)
		t->cfg.lockout_ms = 1;
	if (RAND_bytes((unsigned char *)t->seed, sizeof(t->seed)) != 1) {
		free(t);
		return -EIO;
	}
	*out = t;
	return 0;
}

static void throttle_tab_clear(struct throttle_tab *tab)
{
	while (tab->n)
		throttle_unlink(tab, throttle_oldest(tab));
}

void throttle_free(struct throttle *t)
{
	if (!t)
		return;
	throttle_tab_clear(&t->src);
	throttle_tab_clear(&t->user);
	free(t);
}

void throttle_hold(struct throttle *t, const struct endpoint_source *src,
		   const char *user, uint64_t now, struct throttle_state *st)
{
	struct throttle_rec *s = throttle_find(t, &t->src, src->key, src->len, now);
	struct throttle_rec *u = throttle_find(t, &t->user, user, strlen(user), now);
	uint32_t ds, du;

	memset(st, 0, sizeof(*st));
	st->src_failures = s ? s->failures : 0;
	st->user_failures = u ? u->failures : 0;
	ds = throttle_delay(t, st->src_failures);
	du = throttle_delay(t, st->user_failures);
	st->hold_ms = ds > du ? ds : du;
	st->locked = t->cfg.lockout && (st->src_failures >= t->cfg.lockout ||
					st->user_failures >= t->cfg.lockout);
}

void throttle_failed(struct throttle *t, const struct endpoint_source *src,
		     const char *user, uint64_t now)
{
	throttle_fail_key(t, &t->src, src->key, src->len, now);
	throttle_fail_key(t, &t->user, user, strlen(user), now);
}

void throttle_passed(struct throttle *t, const struct endpoint_source *src,
		     const char *user)
{
	struct throttle_rec *r;

	/* A success forgets, whatever the time. */
	r = throttle_find(t, &t->src, src->key, src->len, 0);
	if (r)
		throttle_unlink(&t->src, r);
	r = throttle_find(t, &t->user, user, strlen(user), 0);
	if (r)
		throttle_unlink(&t->user, r);
}

void throttle_count(const struct throttle *t, unsigned int *sources,
		    unsigned int *users)
{
	*sources = t->src.n;
	*users = t->user.n;
}
