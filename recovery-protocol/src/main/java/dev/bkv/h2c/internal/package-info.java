/** The simplified SWU map for P-256. */
package dev.bkv.h2c.internal;
