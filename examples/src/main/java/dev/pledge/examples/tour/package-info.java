/** The tour: the README's main job, walking through every primitive on embedded defaults. */
package dev.pledge.examples.tour;
