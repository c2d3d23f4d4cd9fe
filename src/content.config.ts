import { defineCollection } from 'astro:content';
import { lessonSchema } from './course/lesson-schema.ts';
import { lessonsLoader } from './course/lessons-loader.ts';

const lessons = defineCollection({ loader: lessonsLoader(), schema: lessonSchema });

export const collections = { lessons };
