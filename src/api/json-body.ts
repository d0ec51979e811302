/** The API's JSON body parser (the codec server has its own, larger limit): bodies are a few KiB, 413 above this. */
import express from 'express';

export const jsonBody = express.json({ limit: '256kb' });
