// SPDX-License-Identifier: GPL-2.0
/*
 * refchar - deferred work: a self-rearming timer (softirq context) that queues a
 * work item on the module's own workqueue (process context), and a kthread.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/printk.h>

#include "refchar.h"

void refchar_timer_fn(struct timer_list *timer)
{
	unsigned long ticks;
	unsigned int period;
	bool stopping;

	/* Softirq context: plain spin_lock(); process context uses spin_lock_bh(). */
	spin_lock(&refchar_tick_lock);
	stopping = refchar_stopping;
	ticks = ++refchar_timer_ticks;
	period = refchar_period_ms;
	spin_unlock(&refchar_tick_lock);

	if (stopping)
		return;
	if (refchar_should_log(ticks))
		pr_info("refchar: timer tick %lu\n", ticks);
	queue_work(refchar_wq, &refchar_work);
	mod_timer(timer, jiffies + msecs_to_jiffies(period));
}

void refchar_work_fn(struct work_struct *work)
{
	u32 checksum = 0;
	size_t len, i;
	int runs;

	mutex_lock(&refchar_buf_lock);
	len = refchar_buf_len;
	for (i = 0; i < len; i++)
		checksum = checksum * 31 + (u8)refchar_buf[i];
	mutex_unlock(&refchar_buf_lock);

	runs = atomic_inc_return(&refchar_work_runs);
	if (refchar_should_log(runs))
		pr_info("refchar: work run %d (buffer %zu bytes, checksum %08x)\n",
			runs, len, checksum);
}

int refchar_thread_fn(void *data)
{
	int ticks;

	pr_info("refchar: kthread started\n");
	while (!kthread_should_stop()) {
		ticks = atomic_inc_return(&refchar_thread_ticks);
		if (refchar_should_log(ticks))
			pr_info("refchar: kthread tick %d\n", ticks);
		msleep_interruptible(REFCHAR_THREAD_SLEEP_MS);
	}
	pr_info("refchar: kthread stopping\n");
	return 0;
}
