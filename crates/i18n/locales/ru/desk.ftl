# Слова рабочего места по-русски. Ключи те же, что в en/desk.ftl: тест падает, если какого-то
# ключа нет в одном из файлов. { $name } подставляет программа; сохраняйте его в переводе.

## Каркас страницы
skip-to-content = К содержимому
nav-main = Главное
nav-articles = Статьи
nav-queue = Очередь
nav-search = Поиск
nav-timeline = Журнал
nav-replay = Состояние на момент
nav-chain = Цепочка
nav-users = Пользователи
signed-in-as = Вы вошли как
sign-out = Выйти
sign-out-everywhere = Выйти на всех устройствах
sign-out-everywhere-hint = Завершает все ваши сеансы во всех браузерах, включая этот.

## Роли
role-editor = редактор
role-reviewer = проверяющий
role-auditor = аудитор
role-admin = администратор

## Вход
sign-in = Войти
your-token = Ваш токен
token-hint = Токен, который выдал администратор (начинается с clt_). Он хранится в cookie, недоступной скриптам, пока вы не выйдете или не закроете браузер.
token-unknown = Токен неизвестен, заменён или отключён.
signin-expired = Форма входа устарела или пришла с другого сайта. Войдите ещё раз.

## Главная
welcome = Здравствуйте, { $name }
pending-claims = { $count ->
    [one] { $count } утверждение ждёт вердикта.
    [few] { $count } утверждения ждут вердикта.
   *[many] { $count } утверждений ждут вердикта.
}

## Страницы, которые нельзя показать
page-not-found = По этому адресу страницы нет.
back-home = На главную

## Карточки главной страницы
home-title = Главная
home-editor = Редактор
home-editor-link = Отправить статью и следить за своими статьями
home-editor-rest = — их разбор и профиль источников.
home-reviewer = Проверяющий
home-queue-link = Очередь проверки
home-waiting = ждут вердикта:
home-auditor = Аудитор
home-timeline = Журнал событий
home-replay = Состояние на выбранный момент
home-verify = Проверить цепочку хешей
home-admin = Администратор
home-users-link = Пользователи
home-users-rest = : добавить, заменить токен, изменить роли, отключить. Также из командной строки и через API:
home-keys = Клавиши: Alt+H — главная, Alt+E — статьи, Alt+Q — очередь, Alt+T — журнал, Alt+R — состояние на момент, Alt+C — цепочка, Alt+U — пользователи; на странице утверждения Alt+1 / Alt+2 выбирают вердикт, Alt+S записывает его.

## team
team-assigned-to = Назначено
team-assigned-by = назначил(а) { $name }, { $time }
team-nobody = никому
team-assign-to = Назначить
team-assign-all-to = Назначить все утверждения
team-assign = Назначить
team-unassign = Снять назначение
team-next-claim = Следующее утверждение
team-next-key = (Alt+N)
team-choose-reviewer = Выберите проверяющего.
team-queue-empty = Других утверждений для вас в очереди нет.
team-back-to-queue = Назад к очереди
team-my-claims = Мои утверждения
team-my-claims-hint = Ожидающие утверждения, назначенные вам или взятые вами; самые важные для проверки — первыми.
team-my-claims-empty = Вам ничего не назначено, и вы ничего не взяли.
team-claim = Утверждение
team-why-mine = Почему ваше
team-assigned-to-me = назначено вам
team-taken-by-me = взято вами
team-assigned-filter = Назначение
team-anyone = любое или никакого
team-unassigned-only = Только неназначенные
team-pick = Выбор
team-bulk-action = С выбранными утверждениями
team-bulk-take = взять
team-bulk-assign = назначить
team-bulk-unassign = снять назначение
team-bulk-dismiss = отклонить
team-bulk-reason = Причина (для отклонения)
team-bulk-apply = Применить
team-bulk-none-picked = Ничего не выбрано: сначала отметьте строки.
team-bulk-results = Действие над несколькими утверждениями
team-article-assigned = Утверждения статьи назначены
team-bulk-summary = Выполнено: { $succeeded }, отказано: { $refused }.
team-outcome = Результат
team-succeeded = готово:
team-refused = отказ
