# One image for both the API and the worker (RUN=api or RUN=worker).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
COPY workflows ./workflows
COPY templates ./templates
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/main.ts"]
