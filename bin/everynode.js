#!/usr/bin/env node
import '../dist/everynode.js';
