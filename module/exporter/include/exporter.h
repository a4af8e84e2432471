/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exporter - the API that exporter.ko exports (EXPORT_SYMBOL_GPL) to other modules.
 *
 * A module using it adds -I<exporter>/include to its ccflags-y and builds with
 * KBUILD_EXTRA_SYMBOLS=<exporter>/Module.symvers, so that modpost knows the symbols
 * (build exporter first).
 */
#ifndef KMODLINT_EXPORTER_H
#define KMODLINT_EXPORTER_H

/* Adds @delta to the exporter's counter and returns the new value. May sleep. */
long exporter_counter_add(long delta);

/* Returns the counter's current value. May sleep. */
long exporter_counter_read(void);

#endif /* KMODLINT_EXPORTER_H */
