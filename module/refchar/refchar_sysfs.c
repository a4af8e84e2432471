// SPDX-License-Identifier: GPL-2.0
/*
 * refchar - the sysfs attribute /sys/class/refchar/refchar/period_ms: the timer
 * period in milliseconds (read/write, REFCHAR_PERIOD_MIN_MS..REFCHAR_PERIOD_MAX_MS).
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "refchar.h"

static ssize_t period_ms_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	unsigned int period;

	spin_lock_bh(&refchar_tick_lock);
	period = refchar_period_ms;
	spin_unlock_bh(&refchar_tick_lock);
	return sysfs_emit(buf, "%u\n", period);
}

static ssize_t period_ms_store(struct device *dev, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	unsigned int period;
	int ret;

	ret = kstrtouint(buf, 0, &period);
	if (ret)
		return ret;
	if (period < REFCHAR_PERIOD_MIN_MS || period > REFCHAR_PERIOD_MAX_MS)
		return -EINVAL;

	spin_lock_bh(&refchar_tick_lock);
	refchar_period_ms = period;
	spin_unlock_bh(&refchar_tick_lock);
	pr_info("refchar: timer period set to %u ms\n", period);
	return count;
}

DEVICE_ATTR_RW(period_ms);
