// SPDX-License-Identifier: GPL-2.0
/*
 * refchar - /proc/refchar: a read-only view of the module's state.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "refchar.h"

static int refchar_proc_show(struct seq_file *m, void *v)
{
	unsigned long ticks;
	unsigned int period;
	size_t len;

	spin_lock_bh(&refchar_tick_lock);
	ticks = refchar_timer_ticks;
	period = refchar_period_ms;
	spin_unlock_bh(&refchar_tick_lock);

	mutex_lock(&refchar_buf_lock);
	len = refchar_buf_len;
	mutex_unlock(&refchar_buf_lock);

	seq_printf(m, "buffer_len: %zu\n", len);
	seq_printf(m, "bytes_written: %d\n", atomic_read(&refchar_bytes_written));
	seq_printf(m, "open_count: %d\n", atomic_read(&refchar_open_count));
	seq_printf(m, "period_ms: %u\n", period);
	seq_printf(m, "timer_ticks: %lu\n", ticks);
	seq_printf(m, "work_runs: %d\n", atomic_read(&refchar_work_runs));
	seq_printf(m, "thread_ticks: %d\n", atomic_read(&refchar_thread_ticks));
	return 0;
}

static int refchar_proc_open(struct inode *inode, struct file *file)
{
	return single_open(file, refchar_proc_show, NULL);
}

const struct proc_ops refchar_proc_ops = {
	.proc_open	= refchar_proc_open,
	.proc_read	= seq_read,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};
