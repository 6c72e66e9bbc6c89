"""manage.py create_reviewer_group: the admin group for reviewers who keep the catalogue, on any install."""

from django.core.management.base import BaseCommand

from units.accounts import REVIEWER_APPS, reviewer_group


class Command(BaseCommand):
    help = ("Tạo (hoặc cập nhật) nhóm quản trị cho cán bộ chấm điểm giữ danh mục trong trang quản trị: mọi quyền "
            "trên dữ liệu của ứng dụng. Chạy lại an toàn, kể cả sau khi nâng cấp thêm bảng mới.")

    def handle(self, *args, **options):
        group = reviewer_group()
        self.stdout.write(f'Nhóm "{group.name}": {group.permissions.count()} quyền trên các ứng dụng '
                          f'{", ".join(REVIEWER_APPS)}.')
