// SPDX-License-Identifier: GPL-2.0-or-later
#include <unistd.h>

#include "daemon/loop.h"
#include "test.h"

static struct loop L;
static int fired[4], reads;
static struct loop_timer timers[4];
static struct loop_fd pfd;

static void on_timer(struct loop_timer *t)
{
	fired[t - timers]++;
	/* Cancelling another timer from a callback must stick. */
	if (t == &timers[0])
		loop_timer_cancel(&L, &timers[2]);
}

static void on_read(struct loop_fd *lfd, uint32_t ev)
{
	char c;

	if (read(lfd->fd, &c, 1) == 1)
		reads++;
	loop_fd_del(&L, lfd);
}

TEST(timers_fire_in_order_and_cancel)
{
	uint64_t now;

	CHECK_INT(loop_init(&L), 0);
	memset(fired, 0, sizeof(fired));
	now = loop_now();
	loop_timer_set(&L, &timers[0], now + 10, on_timer);
	loop_timer_set(&L, &timers[1], now + 30, on_timer);
	loop_timer_set(&L, &timers[2], now + 20, on_timer);
	loop_timer_set(&L, &timers[3], now + 5, on_timer);
	loop_timer_cancel(&L, &timers[3]);
	while (loop_timer_armed(&timers[1]))
		CHECK_INT(loop_once(&L, 1000), 0);
	CHECK(loop_now() >= now + 30);
	CHECK_INT(fired[0], 1);
	CHECK_INT(fired[1], 1);
	CHECK_INT(fired[2], 0);
	CHECK_INT(fired[3], 0);
	CHECK(!L.timers);
	loop_uninit(&L);
}

/* Timers that are all due at once (a process that was not scheduled for a
 * while) fire earliest deadline first, not in the order they were set: here
 * timer 0, due first but set first, cancels timer 2 before it fires. */
TEST(timers_due_together_fire_earliest_first)
{
	uint64_t now;

	CHECK_INT(loop_init(&L), 0);
	memset(fired, 0, sizeof(fired));
	now = loop_now();
	CHECK(now > 100);
	loop_timer_set(&L, &timers[0], now - 30, on_timer);
	loop_timer_set(&L, &timers[1], now - 10, on_timer);
	loop_timer_set(&L, &timers[2], now - 20, on_timer);
	CHECK_INT(loop_once(&L, 0), 0);
	CHECK_INT(fired[0], 1);
	CHECK_INT(fired[1], 1);
	CHECK_INT(fired[2], 0);
	CHECK(!L.timers);
	loop_uninit(&L);
}

TEST(fd_readable_and_delete_in_callback)
{
	int p[2];

	CHECK_INT(loop_init(&L), 0);
	CHECK_INT(pipe(p), 0);
	reads = 0;
	CHECK_INT(loop_fd_add(&L, &pfd, p[0], EPOLLIN, on_read), 0);
	CHECK_INT(write(p[1], "xy", 2), 2);
	CHECK_INT(loop_once(&L, 1000), 0);
	CHECK_INT(reads, 1);
	CHECK_INT(pfd.fd, -1);
	/* Deleted: the byte left in the pipe wakes nobody. */
	CHECK_INT(loop_once(&L, 20), 0);
	CHECK_INT(reads, 1);
	close(p[0]);
	close(p[1]);
	loop_uninit(&L);
}
