// SPDX-License-Identifier: GPL-2.0
/*
 * refchar - the character device /dev/refchar.
 *
 * Writes store bytes into the shared buffer (at the file position, up to
 * REFCHAR_BUF_SIZE), reads return what was stored. Opening for writing with
 * O_TRUNC (shell `>`) empties the buffer first.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "refchar.h"

static int refchar_open(struct inode *inode, struct file *file)
{
	if ((file->f_flags & O_ACCMODE) != O_RDONLY && (file->f_flags & O_TRUNC)) {
		if (mutex_lock_interruptible(&refchar_buf_lock))
			return -ERESTARTSYS;
		refchar_buf_len = 0;
		mutex_unlock(&refchar_buf_lock);
	}
	atomic_inc(&refchar_open_count);
	return 0;
}

static int refchar_release(struct inode *inode, struct file *file)
{
	atomic_dec(&refchar_open_count);
	return 0;
}

static ssize_t refchar_read(struct file *file, char __user *ubuf, size_t count, loff_t *ppos)
{
	ssize_t ret;

	if (mutex_lock_interruptible(&refchar_buf_lock))
		return -ERESTARTSYS;
	ret = simple_read_from_buffer(ubuf, count, ppos, refchar_buf, refchar_buf_len);
	mutex_unlock(&refchar_buf_lock);
	return ret;
}

static ssize_t refchar_write(struct file *file, const char __user *ubuf, size_t count,
			     loff_t *ppos)
{
	loff_t pos = *ppos;
	ssize_t ret;

	if (pos < 0)
		return -EINVAL;
	if (pos >= REFCHAR_BUF_SIZE)
		return count ? -ENOSPC : 0;
	if (count > REFCHAR_BUF_SIZE - pos)
		count = REFCHAR_BUF_SIZE - pos;

	if (mutex_lock_interruptible(&refchar_buf_lock))
		return -ERESTARTSYS;
	if (copy_from_user(refchar_buf + pos, ubuf, count)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	if (pos + count > refchar_buf_len)
		refchar_buf_len = pos + count;
	*ppos = pos + count;
	ret = count;
out_unlock:
	mutex_unlock(&refchar_buf_lock);
	if (ret > 0)
		atomic_add(ret, &refchar_bytes_written);
	return ret;
}

const struct file_operations refchar_fops = {
	.owner		= THIS_MODULE,
	.open		= refchar_open,
	.release	= refchar_release,
	.read		= refchar_read,
	.write		= refchar_write,
	.llseek		= default_llseek,
};
