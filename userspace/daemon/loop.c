// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/loop.h"

#define LOOP_BATCH 64

uint64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int loop_init(struct loop *l)
{
	memset(l, 0, sizeof(*l));
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	return l->epfd < 0 ? -errno : 0;
}

void loop_uninit(struct loop *l)
{
	if (l->epfd >= 0)
		close(l->epfd);
	l->epfd = -1;
	l->timers = NULL;
}

int loop_fd_add(struct loop *l, struct loop_fd *lfd, int fd, uint32_t events,
		void (*cb)(struct loop_fd *, uint32_t))
{
	struct epoll_event ev = { .events = events, .data.ptr = lfd };

	lfd->fd = fd;
	lfd->events = events;
	lfd->cb = cb;
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int loop_fd_mod(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = lfd };

	if (lfd->events == events)
		return 0;
	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, lfd->fd, &ev) < 0)
		return -errno;
	lfd->events = events;
	return 0;
}

void loop_fd_del(struct loop *l, struct loop_fd *lfd)
{
	int i;

	if (lfd->fd < 0)
		return;
	epoll_ctl(l->epfd, EPOLL_CTL_DEL, lfd->fd, NULL);
	for (i = 0; i < l->batch_n; i++)
		if (l->batch[i].data.ptr == lfd)
			l->batch[i].data.ptr = NULL;
	lfd->fd = -1;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
	if (!t->when)
		return;
	if (t->prev)
		t->prev->next = t->next;
	else
		l->timers = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->prev = t->next = NULL;
	t->when = 0;
}

void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t when,
		    void (*cb)(struct loop_timer *))
{
	loop_timer_cancel(l, t);
	t->cb = cb;
	t->when = when ? when : 1;
	t->prev = NULL;
	t->next = l->timers;
	if (l->timers)
		l->timers->prev = t;
	l->timers = t;
}

static uint64_t loop_next_deadline(struct loop *l)
{
	struct loop_timer *t;
	uint64_t min = 0;

	for (t = l->timers; t; t = t->next)
		if (!min || t->when < min)
			min = t->when;
	return min;
}

/*
 * Fire the timers that are due, earliest deadline first (the list is in
 * the order they were set). A callback may cancel or re-arm any timer, so
 * the next one is looked for again after each one that fires.
 */
static void loop_fire_timers(struct loop *l)
{
	uint64_t now = loop_now();
	struct loop_timer *t, *first;

	for (;;) {
		first = NULL;
		for (t = l->timers; t; t = t->next)
			if (t->when <= now && (!first || t->when < first->when))
				first = t;
		if (!first)
			return;
		loop_timer_cancel(l, first);
		first->cb(first);
	}
}

int loop_once(struct loop *l, int max_wait_ms)
{
	struct epoll_event ev[LOOP_BATCH];
	uint64_t deadline = loop_next_deadline(l), now;
	int timeout = max_wait_ms, n, i;

	if (deadline) {
		now = loop_now();
		if (deadline <= now)
			timeout = 0;
		else if (timeout < 0 || deadline - now < (uint64_t)timeout)
			timeout = (int)(deadline - now);
	}
	n = epoll_wait(l->epfd, ev, LOOP_BATCH, timeout);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->batch = ev;
	l->batch_n = n;
	for (i = 0; i < n; i++) {
		struct loop_fd *lfd = ev[i].data.ptr;

		if (lfd)
			lfd->cb(lfd, ev[i].events);
	}
	l->batch = NULL;
	l->batch_n = 0;
	loop_fire_timers(l);
	return 0;
}

int loop_run(struct loop *l)
{
	int err;

	while (!l->stop) {
		err = loop_once(l, -1);
		if (err)
			return err;
	}
	return 0;
}
